namespace Verify.Checker;

/// <summary>
/// Bad input from the user (a trace, a spec, an option value). Its message is complete and meant to be
/// printed as is: where (file:line:col, step), what is wrong and what would be right. The CLI turns it
/// into exit code 2 without a stack trace.
/// </summary>
internal sealed class InputException(string message) : Exception(message);
