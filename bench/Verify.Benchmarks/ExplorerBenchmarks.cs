using BenchmarkDotNet.Attributes;
using Verify.Checker.Explore;
using Verify.Model;
using Verify.Properties;

namespace Verify.Benchmarks;

/// <summary>
/// One whole exhaustive search per semantics: specs/default.yaml's configuration, every property, 64-bit
/// fingerprints, symmetry, one worker per core, three steps deep. The depth bound makes the search complete (every
/// state within three steps), so it does the same work on every run and its time is a stable figure.
/// Distinct states per second = the distinct count the search returns / the mean.
/// </summary>
[MemoryDiagnoser]
public class ExplorerBenchmarks
{
    public const int Depth = 3;

    public static IEnumerable<string> AllSemantics => Workloads.SemanticsNames;

    [ParamsSource(nameof(AllSemantics))]
    public string Semantics { get; set; } = "";

    private Configuration config = null!;
    private ExploreOptions options = null!;

    [GlobalSetup]
    public void Setup()
    {
        config = Workloads.Default(Semantics);
        options = new ExploreOptions { Properties = IsolationProperties.All, MaxDepth = Depth };
    }

    /// <returns>the distinct states found (so the search is not optimised away)</returns>
    [Benchmark]
    public long ExploreDefaultSpecToDepth3()
    {
        var result = Explorer.Run(config, options);
        if (!result.Stats.Complete) throw new InvalidOperationException($"the benchmark search stopped early: {result.Stats.Stop}");
        return result.Stats.Distinct;
    }
}
