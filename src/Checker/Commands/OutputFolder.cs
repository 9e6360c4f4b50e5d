using Verify.Checker.Reports;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>
/// The folder a command writes its results into (<c>--out</c>): how it is prepared, and how a failure to write
/// there becomes bad input naming the folder and the fix instead of an internal error.
/// </summary>
internal static class OutputFolder
{
    /// <summary>Runs a write; an I/O failure, or a path the OS cannot name at all (such as <c>--out ''</c>), is bad input.</summary>
    public static T Write<T>(Func<T> body, string outDir)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var name = outDir.Length == 0 ? "--out ''" : outDir;
            throw new InputException($"{name}: cannot write the results there: {e.Message.TrimEnd('.')}. Pass another folder with --out DIR");
        }
    }

    /// <summary>
    /// Creates <paramref name="dir"/> and, under it, removes the traces and reports an earlier run left for the
    /// semantics this one runs (so that every file there belongs to this run) and any temporary file a killed run left.
    /// </summary>
    public static void Prepare(string dir, IEnumerable<Semantics> semantics, string outDir) => Write(() =>
    {
        Directory.CreateDirectory(dir);
        AtomicFile.RemoveLeftovers(dir);
        foreach (var s in semantics)
        {
            var sub = Path.Combine(dir, s.Name);
            if (!Directory.Exists(sub)) continue;
            AtomicFile.RemoveLeftovers(sub);
            foreach (var f in Directory.EnumerateFiles(sub, "*.trace.json").Concat(Directory.EnumerateFiles(sub, "*.md")).ToList())
                File.Delete(f);
        }
        return 0;
    }, outDir);
}
