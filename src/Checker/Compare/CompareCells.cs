using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Model;

namespace Verify.Checker.Compare;

/// <summary>
/// The words of the matrix, shared by the console, Markdown and HTML reports: a column per semantics, a row per
/// property, and one short cell text per verdict.
/// </summary>
internal static class CompareCells
{
    /// <summary>A semantics' column title: the release number, or the strategy's name without "fix-".</summary>
    public static string Column(Semantics s) =>
        s.Name.StartsWith("cpython-", StringComparison.Ordinal) ? s.Name["cpython-".Length..]
        : s.Name.StartsWith("fix-", StringComparison.Ordinal) ? s.Name["fix-".Length..]
        : s.Name;

    /// <summary>One verdict in a few characters: holds, holds ≤N (within the depth bound), VIOLATED n, seen n, NEVER SEEN, incomplete.</summary>
    public static string Verdict(PropertyVerdict v, int? depth) => v.Verdict switch
    {
        Explore.Verdict.Holds => "holds",
        Explore.Verdict.HoldsWithinDepth => depth is { } d ? $"holds ≤{d}" : "holds",
        Explore.Verdict.Violated => $"VIOLATED {v.Trace!.Length}",
        Explore.Verdict.Witnessed => $"seen {v.Trace!.Length}",
        Explore.Verdict.NeverWitnessed => "NEVER SEEN",
        _ => "incomplete",
    };

    /// <summary>A cost cell: traces showing the change out of those compared, and the shortest length (e.g. "212/300, 2 steps"); "-" for none.</summary>
    public static string Cost(CostCell c, int compared) =>
        c.Traces == 0 ? "-" : $"{c.Traces}/{compared}, {CheckWords.Steps(c.ShortestLength!.Value)}";

    public static string Legend(int? depth) =>
        "holds: in every reachable state (fixpoint)" + (depth is { } d ? $"; holds ≤{d}: in every state within {d} steps" : "") +
        "; VIOLATED n: shortest counterexample has n steps; seen n: a sometimes-property is witnessed in n steps";
}
