namespace Verify.Checker.Documents;

/// <summary>Formats "file:line:col" prefixes for messages about a place in an input file.</summary>
internal static class SourceLocation
{
    public static string At(string file, DocNode? node) =>
        node is null || node.Line <= 0 ? file : $"{file}:{node.Line}:{node.Column}";

    public static string At(string file, int line, int column) =>
        line <= 0 ? file : $"{file}:{line}:{column}";
}
