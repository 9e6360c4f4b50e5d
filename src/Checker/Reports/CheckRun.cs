using Verify.Checker.Explore;
using Verify.Checker.Specs;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Reports;

/// <summary>What <c>verify check</c> was asked to do: the spec with the command line's overrides applied.</summary>
/// <param name="Options">the search options for every semantics (the properties included; no progress callback)</param>
/// <param name="OutDir">where result.json, the traces and the reports go</param>
internal sealed record CheckSettings(SpecFile Spec, IReadOnlyList<Semantics> Semantics, ExploreOptions Options, string OutDir)
{
    /// <summary>The memory limit is the default share of the machine's memory, not one --max-memory gave.</summary>
    public bool MemoryDefault { get; init; }

    public IReadOnlyList<Property> Properties => Options.Properties;
}

/// <summary>The files written for one finding, as paths relative to the output folder (with '/').</summary>
internal sealed record SavedFinding(string Trace, string Report);

/// <summary>One semantics' search and, per verdict (same order), the files saved for its trace, if it has one.</summary>
internal sealed record SemanticsRun(ExploreResult Result, IReadOnlyList<SavedFinding?> Saved)
{
    public Semantics Semantics => Result.Config.Semantics;
}

/// <summary>A whole check: every semantics' run.</summary>
internal sealed record CheckOutcome(CheckSettings Settings, IReadOnlyList<SemanticsRun> Runs)
{
    /// <summary>What interrupted the check ("SIGINT", "SIGTERM", "cancelled"), or null if nothing did.</summary>
    public string? Interrupted { get; init; }

    /// <summary>Every semantics' search covered everything within its bounds: no limit or interruption cut one short.</summary>
    public bool Complete => Runs.All(r => r.Result.Stats.Complete);

    /// <summary>The worst of the runs' exit codes: a violation (1) before a limit (3) before success (0).</summary>
    public int ExitCode => Worst(Runs.Select(r => r.Result.ExitCode));

    public static int Worst(IEnumerable<int> codes)
    {
        var all = codes.ToList();
        return all.Contains(ExitCodes.Violated) ? ExitCodes.Violated
            : all.Contains(ExitCodes.Incomplete) ? ExitCodes.Incomplete
            : ExitCodes.Ok;
    }
}

/// <summary>The words reports use for verdicts and stop reasons (JSON uses the snake_case forms).</summary>
internal static class CheckWords
{
    public static string Verdict(Verdict v) => v switch
    {
        Explore.Verdict.Holds => "holds",
        Explore.Verdict.HoldsWithinDepth => "holds_within_depth",
        Explore.Verdict.Violated => "violated",
        Explore.Verdict.Witnessed => "witnessed",
        Explore.Verdict.NeverWitnessed => "never_witnessed",
        _ => "incomplete",
    };

    public static string Stop(StopReason s) => s switch
    {
        StopReason.Fixpoint => "fixpoint",
        StopReason.DepthBound => "depth_bound",
        StopReason.FirstViolation => "first_violation",
        StopReason.MaxStates => "max_states",
        StopReason.MaxSeconds => "max_seconds",
        StopReason.MaxMemory => "max_memory",
        _ => "cancelled",
    };

    public static string Kind(PropertyKind k) => k == PropertyKind.Always ? "always" : "sometimes";

    /// <summary>Whether a verdict comes with a trace worth saving: a violation, or a witness of a sometimes-property.</summary>
    public static bool HasTrace(PropertyVerdict v) => v.Trace is not null && v.Verdict is Explore.Verdict.Violated or Explore.Verdict.Witnessed;

    public static string Steps(int n) => n == 1 ? "1 step" : $"{n} steps";
}
