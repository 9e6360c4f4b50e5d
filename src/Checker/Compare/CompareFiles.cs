using Verify.Checker.Reports;

namespace Verify.Checker.Compare;

/// <summary>The files <c>verify compare</c> writes into its output folder, each through a temporary file and a rename.</summary>
internal static class CompareFiles
{
    public const string Json = "compare.json";
    public const string Markdown = "compare.md";
    public const string Html = "compare.html";

    public static void Write(Comparison c, string command)
    {
        var dir = c.Settings.OutDir;
        Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, Json), CompareJson.Render(c));
        AtomicFile.WriteAllText(Path.Combine(dir, Markdown), CompareMarkdown.Render(c, command));
        AtomicFile.WriteAllText(Path.Combine(dir, Html), CompareHtml.Render(c, command));
    }
}
