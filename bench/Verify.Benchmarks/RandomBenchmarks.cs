using BenchmarkDotNet.Attributes;
using Verify.Checker.Random;
using Verify.Model;
using Verify.Properties;

namespace Verify.Benchmarks;

/// <summary>
/// Random exploration on specs/default.yaml's bounds: drawing and playing one run of up to 40 steps (FsCheck's
/// plan, then the walk over enabled actions), judging every property along it, and shrinking one violating run.
/// </summary>
[MemoryDiagnoser]
public class RandomBenchmarks
{
    public const int Runs = 64;

    [ParamsSource(nameof(AllSemantics))]
    public string Semantics { get; set; } = "";

    public static IEnumerable<string> AllSemantics => Workloads.SemanticsNames;

    private Configuration config = null!;
    private FsCheck.Gen<RunPlan> plans = null!;
    private RandomRun[] runs = [];
    private Model.Action[] violating = [];
    private Property decref = null!;

    [GlobalSetup]
    public void Setup()
    {
        config = DefaultSpec(Semantics);
        plans = TraceGenerator.Plans(config, ActionWeights.Default, RandomOptions.DefaultLength, swarm: true);
        runs = [.. Enumerable.Range(0, Runs).Select(Draw)];
        decref = IsolationProperties.Find("no-cross-interpreter-decref")!;
        violating = [.. Enumerable.Range(0, 10_000).Select(Draw)
            .First(r => TraceJudge.FirstFinding(config, decref, r.Actions) is { Length: >= 6 }).Actions];
    }

    private RandomRun Draw(int k) =>
        TraceGenerator.Play(config, ActionWeights.Default, TraceGenerator.Draw(plans, RandomSearch.RunSeed(1, k), RandomOptions.DefaultLength));

    /// <summary>specs/default.yaml: a legacy slot and an isolated one, _testsinglephase and its alias, its six ops.</summary>
    private static Configuration DefaultSpec(string semantics) => new(
        SemanticsRegistry.Find(semantics)!,
        DefaultCatalogue.Create().Restrict([DefaultCatalogue.TestSinglePhase, DefaultCatalogue.BasicWrapper]),
        [SlotKind.Of(InterpKind.Legacy), SlotKind.Of(InterpKind.Isolated, InterpKind.IsolatedOverride)],
        new HashSet<string> { "new_interp", "end_interp", "import", "del_sys_modules", "clear_extension", "finalize" });

    /// <summary>Draws and plays 64 runs (the mean per run is this over 64).</summary>
    [Benchmark(OperationsPerInvoke = Runs)]
    public int DrawAndPlay()
    {
        var steps = 0;
        for (var k = 0; k < Runs; k++) steps += Draw(k).Length;
        return steps;
    }

    /// <summary>Judges every property along 64 already played runs.</summary>
    [Benchmark(OperationsPerInvoke = Runs)]
    public int Judge()
    {
        var found = 0;
        foreach (var r in runs) found += TraceJudge.FirstFindings(config, r, IsolationProperties.All).Count(f => f is not null);
        return found;
    }

    /// <summary>Shrinks the first run of seed 1 that violates no-cross-interpreter-decref at step 6 or later.</summary>
    [Benchmark]
    public int Shrink() => new Shrinker(config, decref).Shrink(violating).Trace.Length;
}
