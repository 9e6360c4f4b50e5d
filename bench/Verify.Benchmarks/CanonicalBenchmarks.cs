using BenchmarkDotNet.Attributes;
using Verify.Model;

namespace Verify.Benchmarks;

/// <summary>
/// What the explorer does with every successor before the visited-set look-up: <see cref="CanonicalForm.Encode"/>
/// (renumbering, counter abstraction and, with symmetry, the choice of slot order) and <see cref="Fingerprint.Of"/>
/// of the encoding, on a fixed set of <see cref="States"/> concrete states of specs/default.yaml's configuration.
/// The figure is the mean time per state.
/// </summary>
[MemoryDiagnoser]
public class CanonicalBenchmarks
{
    public const int States = 512;

    public static IEnumerable<string> AllSemantics => Workloads.SemanticsNames;

    [ParamsSource(nameof(AllSemantics))]
    public string Semantics { get; set; } = "";

    [Params(true, false)]
    public bool Symmetry { get; set; }

    private State[] states = [];
    private CanonicalForm form = null!;
    private int[] perm = [];

    [GlobalSetup]
    public void Setup()
    {
        var config = Workloads.Default(Semantics);
        states = [.. Workloads.States(config, States)];
        if (states.Length != States) throw new InvalidOperationException($"{Semantics}: only {states.Length} states, not {States}");
        form = new CanonicalForm(config.Catalogue, config.SlotKinds, Symmetry);
        perm = new int[config.Slots + 1];
    }

    /// <returns>the fingerprints xor-ed (so no encoding is optimised away)</returns>
    [Benchmark(OperationsPerInvoke = States)]
    public ulong EncodeAndFingerprint()
    {
        ulong all = 0;
        foreach (var s in states) all ^= Fingerprint.Of(form.Encode(s, perm, out _));
        return all;
    }
}
