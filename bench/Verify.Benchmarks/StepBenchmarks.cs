using BenchmarkDotNet.Attributes;
using Verify.Model;

namespace Verify.Benchmarks;

/// <summary>
/// The transition function alone: <see cref="Configuration.Step"/> on a fixed set of <see cref="Steps"/>
/// (state, enabled action) pairs of specs/default.yaml's configuration (the first pairs of a breadth-first walk).
/// The figure is the mean time of one step.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    public const int Steps = 2048;

    public static IEnumerable<string> AllSemantics => Workloads.SemanticsNames;

    [ParamsSource(nameof(AllSemantics))]
    public string Semantics { get; set; } = "";

    private Configuration config = null!;
    private (State State, Model.Action Action)[] pairs = [];

    [GlobalSetup]
    public void Setup()
    {
        config = Workloads.Default(Semantics);
        pairs = [.. Workloads.EnabledSteps(config, Workloads.States(config, Steps)).Take(Steps)];
        if (pairs.Length != Steps) throw new InvalidOperationException($"{Semantics}: only {pairs.Length} enabled steps, not {Steps}");
    }

    /// <returns>the events of every step (so no step is optimised away)</returns>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int Step()
    {
        var events = 0;
        foreach (var (s, a) in pairs) events += config.Step(s, a).Events.Count;
        return events;
    }
}
