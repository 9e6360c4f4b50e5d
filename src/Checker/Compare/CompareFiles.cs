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

    /// <summary>The lines that delimit the generated part of a hand-written document (docs/comparison.md).</summary>
    public const string Begin = "<!-- verify compare: generated from here -->";
    public const string End = "<!-- verify compare: generated up to here -->";

    /// <summary>
    /// Writes <paramref name="report"/> into <paramref name="path"/>: between <see cref="Begin"/> and <see cref="End"/> if the
    /// file has both (the text around them is kept), else as the whole file.
    /// </summary>
    public static void WriteInto(string path, string report)
    {
        var old = File.Exists(path) ? File.ReadAllText(path) : null;
        var (b, e) = old is null ? (-1, -1) : (old.IndexOf(Begin, StringComparison.Ordinal), old.IndexOf(End, StringComparison.Ordinal));
        var text = b >= 0 && e > b
            ? old![..(b + Begin.Length)] + "\n" + report.TrimEnd('\n') + "\n" + old[e..]
            : report;
        AtomicFile.WriteAllText(path, text);
    }
}
