namespace Verify.Checker.Reports;

/// <summary>A plain-text table with left-aligned columns as wide as their widest cell, two spaces apart.</summary>
internal static class TextTable
{
    /// <param name="rows">the header first, then the rows; every row has the header's number of cells</param>
    /// <param name="indent">written before every line</param>
    /// <param name="underline">a line of dashes under the header</param>
    public static void Write(IReadOnlyList<IReadOnlyList<string>> rows, TextWriter w, string indent = "", bool underline = false)
    {
        var widths = Enumerable.Range(0, rows[0].Count).Select(k => rows.Max(r => r[k].Length)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            w.WriteLine(indent + string.Join("  ", rows[r].Select((cell, k) => cell.PadRight(widths[k]))).TrimEnd());
            if (r == 0 && underline) w.WriteLine(indent + string.Join("  ", widths.Select(x => new string('-', x))));
        }
    }
}
