using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Checker.Specs;
using Verify.Model;

namespace Verify.Checker.Compare;

/// <summary>What <c>verify compare</c> was asked to do.</summary>
/// <param name="Search">the search options every semantics runs with (properties, depth, limits)</param>
/// <param name="Baseline">the release the strategies' behaviour changes are measured against</param>
/// <param name="Traces">how many traces the costs are measured on</param>
/// <param name="Length">the length of each of those traces</param>
/// <param name="Seed">the seed that draws them (the same traces for every strategy)</param>
internal sealed record CompareSettings(
    SpecFile Spec, IReadOnlyList<Semantics> Semantics, ExploreOptions Search, Semantics Baseline,
    int Traces, int Length, ulong Seed, string OutDir);

/// <summary>How many of the traces showed one kind of behaviour change, and the shortest that did (steps up to the change).</summary>
internal sealed record CostCell(CostKind Kind, int Traces, IReadOnlyList<Model.Action>? Shortest, string? What)
{
    public int? ShortestLength => Shortest?.Count;
}

/// <summary>A strategy's behaviour changes against the baseline over the shared traces.</summary>
/// <param name="Diverged">traces on which the strategy refused a step the baseline took (the comparison stops there)</param>
internal sealed record StrategyCost(Semantics Strategy, IReadOnlyList<CostCell> Cells, int Compared, int Diverged)
{
    public CostCell this[CostKind kind] => Cells.First(c => c.Kind == kind);
}

/// <summary>A whole comparison: each semantics' exhaustive search (a row of the matrix) and each strategy's costs.</summary>
internal sealed record Comparison(CompareSettings Settings, IReadOnlyList<SemanticsRun> Rows, IReadOnlyList<StrategyCost> Costs)
{
    public string? Interrupted { get; init; }
    public TimeSpan SearchTime { get; init; }
    public TimeSpan CostTime { get; init; }

    /// <summary>Every search covered its bounds, the costs were measured, and nothing interrupted it.</summary>
    public bool Complete => Interrupted is null && Rows.All(r => r.Result.Stats.Complete);

    /// <summary>0: complete (whatever the verdicts: compare reports, it does not judge); 3: something is incomplete.</summary>
    public int ExitCode => Complete ? ExitCodes.Ok : ExitCodes.Incomplete;
}
