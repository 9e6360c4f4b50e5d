// Placeholder entry point until the replay command lands.
return 0;
