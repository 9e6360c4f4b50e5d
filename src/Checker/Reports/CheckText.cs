using System.Globalization;
using Verify.Checker.Explore;

namespace Verify.Checker.Reports;

/// <summary>
/// The console summary of a check as plain text (pipes, files, tests), one block per semantics as its search
/// ends, then the overall result. A search a limit stopped says "incomplete" and never "holds".
/// </summary>
internal static class CheckText
{
    public static void Header(CheckSettings s, TextWriter w)
    {
        var spec = s.Spec;
        w.WriteLine($"check {spec.Source}: main and {Slots(spec.Slots)} ({spec.SlotText}), {spec.Catalogue.Modules.Count} modules, " +
                    $"{Bound(s.Options, s.MemoryDefault)}; {s.Properties.Count} properties under {string.Join(", ", s.Semantics.Select(x => x.Name))}");
    }

    public static void Run(SemanticsRun run, string outDir, TextWriter w)
    {
        var r = run.Result;
        w.WriteLine();
        w.WriteLine($"{run.Semantics.Name}: {Headline(r)}");
        foreach (var (label, value) in StatLines(r)) w.WriteLine($"  {label,-10} {value}");
        w.WriteLine("  verdicts");
        var width = r.Verdicts.Select(v => v.Property.Name.Length).DefaultIfEmpty(0).Max();
        for (var k = 0; k < r.Verdicts.Count; k++)
        {
            var v = r.Verdicts[k];
            var line = $"    {VerdictText(v.Verdict, r.Stats),-26} {v.Property.Name.PadRight(width)}";
            if (v.Trace is { } t && CheckWords.HasTrace(v))
                line += $"  {CheckWords.Steps(t.Length),-8}" + (run.Saved[k] is { } f ? $"  {Path.Combine(outDir, f.Trace)}" : "");
            w.WriteLine(line.TrimEnd());
        }
    }

    public static void Footer(CheckOutcome outcome, string outDir, TextWriter w)
    {
        w.WriteLine();
        var saved = outcome.Runs.Sum(r => r.Saved.Count(f => f is not null));
        w.WriteLine($"written: {Path.Combine(outDir, "result.json")}" +
                    (saved > 0 ? $", {saved} trace{(saved == 1 ? "" : "s")} (*.trace.json, replay with verify replay) with Markdown reports (*.md)" : ""));
        w.WriteLine(Conclusion(outcome));
    }

    /// <summary>The last line: the exit code and what it means.</summary>
    public static string Conclusion(CheckOutcome outcome) => outcome.ExitCode switch
    {
        ExitCodes.Violated => "result: VIOLATED (exit 1): " + string.Join("; ", outcome.Runs
            .Where(r => r.Result.AnyViolated)
            .Select(r => $"{r.Semantics.Name}: {string.Join(", ", r.Result.Verdicts.Where(v => v.Verdict is Verdict.Violated or Verdict.NeverWitnessed).Select(v => v.Property.Name))}")),
        ExitCodes.Incomplete => "result: incomplete (exit 3): a limit stopped the search before the fixpoint; nothing is proved beyond what was explored",
        _ => outcome.Runs.Any(r => r.Result.Stats.Stop == StopReason.DepthBound)
            ? "result: no violation within the depth bound (exit 0)"
            : "result: every property holds (exit 0)",
    };

    /// <summary>One line per semantics: how the search ended.</summary>
    public static string Headline(ExploreResult r) => r.ExitCode switch
    {
        ExitCodes.Violated => string.Join(", ", new[] { (Count(r, Verdict.Violated), "violated"), (Count(r, Verdict.NeverWitnessed), "never witnessed") }
            .Where(x => x.Item1 > 0).Select(x => $"{x.Item1} propert{(x.Item1 == 1 ? "y" : "ies")} {x.Item2}")) +
            (r.Stats.Complete ? "" : $" ({StopText(r.Stats)})"),
        ExitCodes.Incomplete => "incomplete: " + StopText(r.Stats),
        _ => r.Stats.Stop == StopReason.DepthBound ? "no violation within the depth bound" : "every property holds",
    };

    private static int Count(ExploreResult r, Verdict v) => r.Verdicts.Count(x => x.Verdict == v);

    public static IEnumerable<(string Label, string Value)> StatLines(ExploreResult r)
    {
        var st = r.Stats;
        if (st.Symbolic)
        {
            yield return ("engine", $"bmc: Z3, one query per depth, {CheckWords.Steps(st.Depth)} unrolled; no states enumerated (docs/symbolic.md)");
            yield return ("time", $"{st.Elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s, peak memory {Bytes(st.PeakMemoryBytes)}");
            yield return ("stopped", st.Stop switch
            {
                StopReason.DepthBound => $"depth bound {st.Depth} reached: every trace of up to {CheckWords.Steps(st.Depth)} covered",
                StopReason.MaxSeconds => $"--max-seconds reached: traces of up to {CheckWords.Steps(st.Depth)} covered",
                _ => $"interrupted (Ctrl-C, SIGTERM): traces of up to {CheckWords.Steps(st.Depth)} covered",
            });
            yield break;
        }
        var unreduced = st.DistinctUnreduced is { } u ? $"{N(u)} distinct without symmetry" : "distinct without symmetry not counted";
        yield return ("states", $"{N(st.Generated)} generated, {N(st.Distinct)} distinct, {unreduced}");
        yield return ("depth", st.Depth.ToString(CultureInfo.InvariantCulture));
        yield return ("speed", $"{N((long)st.StatesPerSecond)} distinct states/s over {st.Elapsed.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s, " +
                               $"{st.Workers} worker{(st.Workers == 1 ? "" : "s")}");
        yield return ("memory", $"peak {Bytes(st.PeakMemoryBytes)}, {st.BytesPerState.ToString("0.#", CultureInfo.InvariantCulture)} bytes/state stored " +
                                $"({Bytes(st.StoredBytes)})");
        yield return ("storage", st.Storage == StorageMode.Exact
            ? "exact (whole states: no collisions)" + (st.Symmetry ? ", symmetry" : ", no symmetry")
            : $"64-bit fingerprints, collision probability {Probability(st.CollisionProbability)}" + (st.Symmetry ? ", symmetry" : ", no symmetry"));
        yield return ("stopped", StopText(st));
    }

    public static string StopText(SearchStats st) => st.Stop switch
    {
        StopReason.Fixpoint => "fixpoint: every reachable state explored",
        StopReason.DepthBound => $"depth bound {st.Depth} reached: every state within {CheckWords.Steps(st.Depth)} explored",
        StopReason.FirstViolation => $"--first: stopped after the level of the first violation ({N(st.Unexplored)} states not expanded)",
        StopReason.MaxStates => $"--max-states reached before the fixpoint ({N(st.Unexplored)} states not expanded)",
        StopReason.MaxSeconds => $"--max-seconds reached before the fixpoint ({N(st.Unexplored)} states not expanded)",
        StopReason.MaxMemory => $"--max-memory reached before the fixpoint ({N(st.Unexplored)} states not expanded)",
        _ => $"interrupted (Ctrl-C, SIGTERM) before the fixpoint ({N(st.Unexplored)} states not expanded)",
    };

    /// <summary>A verdict as the summary writes it: "holds" only for a complete search.</summary>
    public static string VerdictText(Verdict v, SearchStats st) => v switch
    {
        Verdict.Holds => "holds",
        Verdict.HoldsWithinDepth => $"holds to depth {st.Depth}",
        Verdict.Violated => "VIOLATED",
        Verdict.Witnessed => "witnessed",
        Verdict.NeverWitnessed => st.Stop == StopReason.DepthBound ? $"NEVER WITNESSED to depth {st.Depth}" : "NEVER WITNESSED",
        _ => "incomplete",
    };

    public static string Bound(ExploreOptions o, bool memoryDefault = false)
    {
        var parts = new List<string> { o.MaxDepth is { } d ? $"depth bound {d}" : "to the fixpoint" };
        if (o.MaxStates is { } n) parts.Add($"at most {N(n)} states");
        if (o.MaxSeconds is { } sec) parts.Add($"at most {sec.ToString(CultureInfo.InvariantCulture)} s");
        if (o.MaxMemoryBytes is { } b)
            parts.Add($"at most {Bytes(b)} of memory" + (memoryDefault ? $" ({Commands.CheckCommand.MemoryPercent}% of the {Bytes(Commands.CheckCommand.AvailableMemory())} available; --max-memory)" : ""));
        return string.Join(", ", parts);
    }

    private static string Slots(int n) => n == 1 ? "1 subinterpreter slot" : $"{n} subinterpreter slots";

    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string Bytes(long b) => b switch
    {
        >= 1L << 30 => (b / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (b / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (b / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => b.ToString(CultureInfo.InvariantCulture) + " B",
    };

    private static string Probability(double? p) => p switch
    {
        null => "not computed",
        0 => "0",
        { } x => x.ToString("0.0E+0", CultureInfo.InvariantCulture),
    };
}
