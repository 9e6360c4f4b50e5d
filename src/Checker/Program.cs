using Verify.Checker;

return Cli.Run(args, Console.Out, Console.Error, terminal: !Console.IsOutputRedirected, errTerminal: !Console.IsErrorRedirected);
