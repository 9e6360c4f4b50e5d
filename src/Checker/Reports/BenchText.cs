using System.Globalization;
using Verify.Checker.Explore;

namespace Verify.Checker.Reports;

/// <summary>
/// The table <c>verify bench</c> prints: a header, one row per search as it ends, and a legend. Plain text in
/// fixed columns, so that it streams, reads in a pipe and pastes into docs/benchmarks.md. A run a limit stopped
/// says PARTIAL: its figures cover only the states it explored.
/// </summary>
internal static class BenchText
{
    private static readonly (string Name, int Width, bool Left)[] Columns =
    [
        ("semantics", 12, true), ("slots", 6, true), ("sym", 3, true), ("distinct", 11, false), ("unreduced", 11, false),
        ("generated", 12, false), ("depth", 5, false), ("seconds", 7, false), ("distinct/s", 10, false), ("generated/s", 11, false), ("B/state", 7, false),
        ("peak mem", 9, false), ("stop", 0, true),
    ];

    public static void Header(BenchSettings s, BenchMachine m, TextWriter w)
    {
        var spec = s.Spec;
        var sym = s.Symmetries.Count == 2 ? "with and without symmetry" : s.Symmetries[0] ? "with symmetry" : "without symmetry";
        w.WriteLine($"bench {spec.Source}: {spec.Catalogue.Modules.Count} modules, {s.Spec.Properties.Count} properties, " +
                    $"{(spec.Depth is { } d ? $"depth bound {d}" : "to the fixpoint")}; under {string.Join(", ", s.Semantics.Select(x => x.Name))}");
        w.WriteLine($"runs: the spec's slots ({spec.SlotText}), then 1..{s.MaxSlots} slots of any mode; {sym}; " +
                    $"64-bit fingerprints; at most {Seconds(s.MaxSeconds)} s a run, {s.Workers} worker{(s.Workers == 1 ? "" : "s")}");
        w.WriteLine($"machine: {(m.ReleaseBuild ? "Release" : "Debug")} build, {m.Runtime}, {m.Cores} cores, {m.Os}");
        if (!m.ReleaseBuild)
            w.WriteLine("note: this verify is a Debug build; its figures are not the ones to report (dotnet run -c Release --project src/Checker -- bench)");
        w.WriteLine();
        w.WriteLine(Line(Columns.Select(c => c.Name).ToArray()));
    }

    public static void Row(BenchRun r, TextWriter w) => w.WriteLine(Line(Cells(r)));

    public static string[] Cells(BenchRun r)
    {
        var st = r.Stats;
        return
        [
            r.Semantics.Name,
            $"{r.Slots} {(r.Series == BenchSeries.Spec ? "spec" : "any")}",
            r.Symmetry ? "on" : "off",
            CheckText.N(st.Distinct),
            st.DistinctUnreduced is { } u ? CheckText.N(u) : "-",
            CheckText.N(st.Generated),
            st.Depth.ToString(CultureInfo.InvariantCulture),
            st.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture),
            CheckText.N((long)Math.Round(st.StatesPerSecond)),
            CheckText.N((long)Math.Round(GeneratedPerSecond(st))),
            st.BytesPerState.ToString("0.0", CultureInfo.InvariantCulture),
            CheckText.Bytes(st.PeakMemoryBytes),
            Stop(st),
        ];
    }

    /// <summary>
    /// Successors generated per second. A search counts a state as distinct only when the level that found it is
    /// inserted, and a limit that stops it part-way through a level drops that level, so on a partial run distinct/s
    /// undercounts the work done and swings with where the level ended; generated/s does not.
    /// </summary>
    public static double GeneratedPerSecond(SearchStats st) => st.Elapsed.TotalSeconds > 0 ? st.Generated / st.Elapsed.TotalSeconds : 0;

    /// <summary>How a run ended, as the table says it: PARTIAL when a limit stopped it.</summary>
    public static string Stop(SearchStats st) => st.Stop switch
    {
        StopReason.Fixpoint => "fixpoint",
        StopReason.DepthBound => "depth bound",
        StopReason.MaxSeconds => "PARTIAL: --max-seconds",
        StopReason.Cancelled => "PARTIAL: cancelled",
        StopReason.MaxStates => "PARTIAL: max states",
        StopReason.MaxMemory => "PARTIAL: max memory",
        _ => "PARTIAL: first violation",
    };

    public static void Footer(BenchOutcome o, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine("slots: N spec = the spec's own slots, N any = N slots of any mode; sym: slots of one kind interchangeable; " +
                    "unreduced: distinct states had they not been (symmetry off: the same as distinct)");
        w.WriteLine("B/state: visited-set fingerprint tables (at least 128 KiB) plus 6 bytes of parent link, per distinct state; " +
                    "peak mem: the process's peak resident memory " +
                    (o.Machine.PeakPerRun ? "during the run (with what the runtime kept of earlier runs)" : "so far (not reset between runs here)"));
        var partial = o.Runs.Count(r => r.Partial);
        if (partial > 0)
            w.WriteLine($"PARTIAL: {partial} run{(partial == 1 ? "" : "s")} stopped before the fixpoint (at --max-seconds, checked between chunks of states, " +
                        "so a run may overrun it a little); their figures cover only the states explored, and their distinct/s drops the level that was being expanded (generated/s counts it)");
        if (o.Cancelled) w.WriteLine("cancelled (exit 3): Ctrl-C stopped the benchmark; the runs above are all it did");
    }

    private static string Line(string[] cells)
    {
        var parts = new string[cells.Length];
        for (var k = 0; k < cells.Length; k++)
        {
            var (_, width, left) = Columns[k];
            parts[k] = left ? cells[k].PadRight(width) : cells[k].PadLeft(width);
        }
        return string.Join("  ", parts).TrimEnd();
    }

    private static string Seconds(double s) => s.ToString("0.###", CultureInfo.InvariantCulture);
}
