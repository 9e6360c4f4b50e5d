using System.Text;

namespace Verify.Checker.Reports;

/// <summary>
/// Writes an output file so that readers only ever see the old file or the whole new one: the text goes to a
/// temporary file in the same folder (a rename across file systems would be a copy) and is then renamed over the
/// target. An interrupted or failed write removes its temporary file; only a process killed outright in the middle
/// of a write can leave one, and <see cref="RemoveLeftovers"/> cleans those up on the next run. The file is not
/// forced to disk before the rename: that guards only against a power cut, and costs milliseconds per file, which a
/// check writing dozens of reports (and the test suite running thousands of checks) would pay every time.
/// </summary>
internal static class AtomicFile
{
    /// <summary>How temporary files start: hidden on Unix, and recognisably Verify's.</summary>
    public const string TempPrefix = ".verify-tmp-";
    public const string TempSuffix = ".tmp";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static void WriteAllText(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full) ?? ".";
        // The process id and a random part keep two concurrent runs (or threads) off each other's temporary file.
        var tmp = Path.Combine(dir, $"{TempPrefix}{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            using (var stream = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Utf8.GetBytes(text));
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>Whether a file name is one of this class's temporary files.</summary>
    public static bool IsTemporary(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith(TempPrefix, StringComparison.Ordinal) && name.EndsWith(TempSuffix, StringComparison.Ordinal);
    }

    /// <summary>Removes temporary files a killed run left in <paramref name="dir"/> (not in its subfolders).</summary>
    public static void RemoveLeftovers(string dir)
    {
        if (!Directory.Exists(dir)) return;
        foreach (var f in Directory.EnumerateFiles(dir, TempPrefix + "*" + TempSuffix).ToList())
            TryDelete(f);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing better to do: the original error is the one to report.
        }
    }
}
