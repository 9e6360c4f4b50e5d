using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using Verify.Checker.Explore;
using Verify.Checker.Specs;
using Verify.Model;

namespace Verify.Checker.Reports;

/// <summary>Which part of a benchmark a run belongs to: the spec's own slots, or the series of 1..N slots of any mode.</summary>
internal enum BenchSeries { Spec, Slots }

/// <summary>
/// What <c>verify bench</c> was asked to do. Every run uses the spec's catalogue, properties and depth bound,
/// fingerprint storage, and the same time limit and workers.
/// </summary>
/// <param name="MaxSlots">the scaling series runs 1..MaxSlots slots of any mode</param>
/// <param name="Symmetries">the symmetry settings each configuration runs under, in order (on before off)</param>
/// <param name="MaxSeconds">the limit of each run; a run it stops is partial</param>
internal sealed record BenchSettings(SpecFile Spec, IReadOnlyList<Semantics> Semantics, int MaxSlots, IReadOnlyList<bool> Symmetries,
    double MaxSeconds, int Workers)
{
    public const int MinSlots = 1;
    public const int MostSlots = 4;
    public const double DefaultMaxSeconds = 10;
}

/// <summary>One exhaustive search of a benchmark and its figures.</summary>
internal sealed record BenchRun(Semantics Semantics, BenchSeries Series, IReadOnlyList<SlotKind> SlotKinds, bool Symmetry, SearchStats Stats)
{
    public int Slots => SlotKinds.Count;
    /// <summary>A limit (or Ctrl-C) stopped the search before its fixpoint or depth bound: its figures cover only part of the space.</summary>
    public bool Partial => !Stats.Complete;
}

/// <summary>Where the figures were taken: the build of <c>verify</c> and the machine.</summary>
internal sealed record BenchMachine(bool ReleaseBuild, int Cores, string Runtime, string Os, bool PeakPerRun)
{
    /// <param name="peakPerRun">whether the process's peak memory could be reset before each run (Linux)</param>
    public static BenchMachine Current(bool peakPerRun) => new(
        typeof(BenchMachine).Assembly.GetCustomAttribute<DebuggableAttribute>()?.IsJITOptimizerDisabled != true,
        Environment.ProcessorCount, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, peakPerRun);
}

/// <summary>A whole benchmark: every run, in the order they ran.</summary>
internal sealed record BenchOutcome(BenchSettings Settings, BenchMachine Machine, DateTimeOffset Started, IReadOnlyList<BenchRun> Runs, bool Cancelled)
{
    /// <summary>0, or 3 when Ctrl-C stopped the benchmark before every run was done. Partial runs are a benchmark's normal figures, not a failure.</summary>
    public int ExitCode => Cancelled ? ExitCodes.Incomplete : ExitCodes.Ok;
}
