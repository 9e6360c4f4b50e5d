using Verify.Properties;

namespace Verify.Checker.Explore;

/// <summary>How the visited set stores a state: a 64-bit fingerprint (small, a tiny collision risk reported) or the whole canonical encoding.</summary>
public enum StorageMode { Fingerprint, Exact }

/// <summary>What one exhaustive search covers and how it may stop early.</summary>
public sealed record ExploreOptions
{
    public required IReadOnlyList<Property> Properties { get; init; }
    /// <summary>Treat subinterpreter slots of the same kind as interchangeable.</summary>
    public bool Symmetry { get; init; } = true;
    public StorageMode Storage { get; init; } = StorageMode.Fingerprint;
    /// <summary>A bound of the spec: no trace longer than this is explored.</summary>
    public int? MaxDepth { get; init; }
    public long? MaxStates { get; init; }
    public double? MaxSeconds { get; init; }
    public long? MaxMemoryBytes { get; init; }
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Stop after the level where the first always-property violation was found.</summary>
    public bool StopAtFirstViolation { get; init; }
    /// <summary>Also count states without symmetry reduction (the sum of orbit sizes).</summary>
    public bool CountUnreduced { get; init; } = true;
    /// <summary>Called about once a second, from the searching thread (the symbolic engine's: from a timer while Z3 solves).</summary>
    public Action<ExploreProgress>? OnProgress { get; init; }
    public CancellationToken Cancel { get; init; }
    /// <summary>
    /// Levels of more states than this are kept compressed (fingerprint mode): about 6 times less memory for about 6 µs
    /// more a state. Small levels stay plain, where the time matters more than the memory. Results do not depend on it.
    /// </summary>
    public int PackLevelsAbove { get; init; } = 100_000;
    /// <summary>
    /// In fingerprint mode, the expansion of a level of at most this many states keeps each new successor's encoding
    /// (about 100 MB at most on the default spec); a larger level's winners are derived again from their parents, one
    /// step more a state for about 4 times less memory. Results do not depend on it.
    /// </summary>
    public int KeepEncodingsUpTo { get; init; } = 25_000;
}

/// <summary>A live snapshot of a running search.</summary>
public sealed record ExploreProgress(int Depth, long Distinct, long Generated, long Frontier, TimeSpan Elapsed, long MemoryBytes)
{
    public double StatesPerSecond => Elapsed.TotalSeconds > 0 ? Distinct / Elapsed.TotalSeconds : 0;

    /// <summary>The symbolic engine's snapshot: what it is doing (it enumerates no states, so it has no counts to show).</summary>
    public string? Activity { get; init; }
}
