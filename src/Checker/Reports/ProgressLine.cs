using Verify.Checker.Explore;

namespace Verify.Checker.Reports;

/// <summary>
/// The live progress of a long search: one line on stderr, rewritten in place about once a second
/// (<see cref="ExploreOptions.OnProgress"/>), and erased when the search ends. Only used when stderr is a terminal.
/// </summary>
internal sealed class ProgressLine(TextWriter err, string label)
{
    private readonly object gate = new();
    private int width;

    public void Report(ExploreProgress p) =>
        Show(p.Activity is { } activity
            ? $"{activity}, {CheckText.Bytes(p.MemoryBytes)}, {p.Elapsed:hh\\:mm\\:ss}"
            : $"depth {p.Depth}, {CheckText.N(p.Distinct)} distinct, {CheckText.N(p.Generated)} generated, " +
              $"{CheckText.N(p.Frontier)} queued, {CheckText.N((long)p.StatesPerSecond)} states/s, {CheckText.Bytes(p.MemoryBytes)}, " +
              $"{p.Elapsed:hh\\:mm\\:ss}");

    /// <summary>Rewrites the line with <paramref name="status"/> after the label (any long-running command's progress).</summary>
    public void Show(string status)
    {
        var text = $"{label}: {status}";
        lock (gate)
        {
            err.Write("\r" + text.PadRight(width));
            width = text.Length;
            err.Flush();
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            if (width == 0) return;
            err.Write("\r" + new string(' ', width) + "\r");
            err.Flush();
            width = 0;
        }
    }
}
