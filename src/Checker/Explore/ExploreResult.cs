using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Explore;

public enum Verdict
{
    /// <summary>an always-property held in every reachable state (complete search)</summary>
    Holds,
    /// <summary>held in every state within the spec's depth bound; deeper states were not explored</summary>
    HoldsWithinDepth,
    Violated,
    /// <summary>a sometimes-property was seen</summary>
    Witnessed,
    /// <summary>a sometimes-property was never seen although the search was complete (within its bounds)</summary>
    NeverWitnessed,
    /// <summary>a limit stopped the search before a verdict: nothing found so far, nothing proved</summary>
    Incomplete,
}

/// <summary>Why a search ended.</summary>
public enum StopReason { Fixpoint, DepthBound, FirstViolation, MaxStates, MaxSeconds, MaxMemory, Cancelled }

/// <summary>
/// A shortest trace to a finding, replayed on the concrete model: <see cref="Transitions"/> are the real steps
/// (one per action) and <see cref="Finding"/> is what the property reported on the last one (or on the initial
/// state when there are no steps).
/// </summary>
public sealed record Counterexample(IReadOnlyList<Model.Action> Steps, IReadOnlyList<Transition> Transitions, Finding Finding)
{
    public int Length => Steps.Count;
}

public sealed record PropertyVerdict(Property Property, Verdict Verdict, Counterexample? Trace);

public sealed record SearchStats(
    long Generated,
    long Distinct,
    /// <summary>distinct states had slots not been interchangeable (sum of orbit sizes); null if not counted</summary>
    long? DistinctUnreduced,
    int Depth,
    TimeSpan Elapsed,
    long PeakMemoryBytes,
    /// <summary>bytes held by the visited set and the parent links at the end</summary>
    long StoredBytes,
    /// <summary>TLC's optimistic estimate: distinct × (generated − distinct) / 2^64; null in exact mode</summary>
    double? CollisionProbability,
    StorageMode Storage,
    bool Symmetry,
    int Workers,
    StopReason Stop,
    /// <summary>states found but not expanded when the search stopped</summary>
    long Unexplored)
{
    /// <summary>The BMC engine's result: it enumerates no states, so the counts, speed and storage do not apply.</summary>
    public bool Symbolic { get; init; }
    public double StatesPerSecond => Elapsed.TotalSeconds > 0 ? Distinct / Elapsed.TotalSeconds : 0;
    public double BytesPerState => Distinct > 0 ? (double)StoredBytes / Distinct : 0;
    /// <summary>Every reachable state (within the depth bound) was explored.</summary>
    public bool Complete => Stop is StopReason.Fixpoint or StopReason.DepthBound;
}

public sealed record ExploreResult(Configuration Config, SearchStats Stats, IReadOnlyList<PropertyVerdict> Verdicts)
{
    public bool AnyViolated => Verdicts.Any(v => v.Verdict is Verdict.Violated or Verdict.NeverWitnessed);

    /// <summary>0 every property holds, 1 a property is violated, 3 a limit stopped the search first.</summary>
    public int ExitCode => AnyViolated ? ExitCodes.Violated : Stats.Complete ? ExitCodes.Ok : ExitCodes.Incomplete;
}
