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

    private readonly List<Event> events = [];

    /// <summary>
    /// The step as the explorer takes it once every transition property is settled (most of a search):
    /// <see cref="Semantics.Successor"/> with no outcome, one reused event list, no increfs or decrefs recorded, and a
    /// transient state built in the machine's own arrays.
    /// </summary>
    /// <returns>the heap sizes of the states reached (so no step is optimised away)</returns>
    [Benchmark(OperationsPerInvoke = Steps)]
    public int SearchStep()
    {
        var objects = 0;
        foreach (var (s, a) in pairs)
            objects += config.Semantics.Successor(s, a, config.Catalogue, events, refCountEvents: false, transient: true).Heap.Count;
        return objects;
    }
}
