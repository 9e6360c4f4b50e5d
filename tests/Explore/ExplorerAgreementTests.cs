using Verify.Checker.Explore;
using Verify.Model;
using Xunit;

namespace Verify.Tests.Explore;

/// <summary>
/// The explorer against the brute-force reference (one thread, concrete states compared structurally, no
/// abstraction, no symmetry): the same verdict and the same shortest length for every property, on small bounds.
/// </summary>
public sealed class ExplorerAgreementTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var s in new[] { "cpython-3.11", "cpython-3.12", "cpython-3.13" })
            foreach (var shape in new[] { "one-any-slot", "two-any-slots" })
                data.Add(s, shape);
        return data;
    }

    private static Configuration Shape(string semantics, string shape) => shape == "one-any-slot"
        ? X.Config(semantics, [SlotKind.Any], [X.Single, X.Alias])
        : X.Config(semantics, [SlotKind.Any, SlotKind.Any], [X.Single], ["new_interp", "end_interp", "import", "del_sys_modules", "clear_extension", "finalize"]);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Explorer_and_reference_agree_on_verdicts_and_shortest_lengths(string semantics, string shape)
    {
        const int depth = 4;
        var config = Shape(semantics, shape);
        var reference = ReferenceSearch.Run(config, Verify.Properties.IsolationProperties.All, depth);
        // Every level derived again and packed (compressed frontier) in one run, none in another.
        foreach (var (symmetry, storage, pack) in new[] { (true, StorageMode.Fingerprint, 0), (true, StorageMode.Fingerprint, int.MaxValue), (false, StorageMode.Exact, 0) })
        {
            var explored = X.Explore(config, depth, symmetry, storage, packLevelsAbove: pack, keepEncodingsUpTo: pack == 0 ? 0 : int.MaxValue);
            foreach (var expected in reference.Verdicts)
            {
                var got = X.Verdict(explored, expected.Property);
                var what = $"{expected.Property.Name} (symmetry {symmetry}, {storage}, packing levels above {pack})";
                Assert.True(expected.Verdict == got.Verdict, $"{what}: reference {expected.Verdict}, explorer {got.Verdict}");
                Assert.True(expected.Trace?.Length == got.Trace?.Length, $"{what}: reference length {expected.Trace?.Length}, explorer {got.Trace?.Length}");
            }
        }
    }

    [Fact]
    public void The_reported_trace_does_not_depend_on_the_number_of_workers()
    {
        var config = X.DefaultSpec("cpython-3.12");
        var one = X.Explore(config, depth: 4, workers: 1);
        var two = X.Explore(config, depth: 4, workers: 2);
        var four = X.Explore(config, depth: 4, workers: 4);
        Assert.Equal(one.Stats.Distinct, two.Stats.Distinct);
        for (var k = 0; k < one.Verdicts.Count; k++)
        {
            Assert.Equal(one.Verdicts[k].Trace?.Steps, two.Verdicts[k].Trace?.Steps);
            Assert.Equal(one.Verdicts[k].Trace?.Steps, four.Verdicts[k].Trace?.Steps);
        }
    }

    /// <summary>
    /// How the frontier is kept (compressed or plain; encodings derived again or kept, as in exact mode) changes memory,
    /// never the search: the same states, and the same counterexample for every property, step for step.
    /// </summary>
    [Fact]
    public void Packing_the_frontier_changes_no_state_count_and_no_trace()
    {
        var config = X.DefaultSpec("cpython-3.13");
        var plain = X.Explore(config, depth: 5, packLevelsAbove: int.MaxValue, keepEncodingsUpTo: int.MaxValue);
        var packed = X.Explore(config, depth: 5, packLevelsAbove: 0, keepEncodingsUpTo: 0, workers: 1);
        var derived = X.Explore(config, depth: 5, packLevelsAbove: int.MaxValue, keepEncodingsUpTo: 0);
        var exact = X.Explore(config, depth: 5, storage: StorageMode.Exact);
        Assert.Equal(plain.Stats.Distinct, packed.Stats.Distinct);
        Assert.Equal(plain.Stats.Distinct, exact.Stats.Distinct);
        Assert.Equal(plain.Stats.Generated, packed.Stats.Generated);
        Assert.Equal(plain.Stats.Distinct, derived.Stats.Distinct);
        Assert.Contains(plain.Verdicts, v => v.Trace is not null);
        for (var k = 0; k < plain.Verdicts.Count; k++)
        {
            Assert.Equal(plain.Verdicts[k].Trace?.Steps, packed.Verdicts[k].Trace?.Steps);
            Assert.Equal(plain.Verdicts[k].Trace?.Steps, derived.Verdicts[k].Trace?.Steps);
            Assert.Equal(plain.Verdicts[k].Trace?.Steps, exact.Verdicts[k].Trace?.Steps);
        }
    }

    [Fact]
    public void Orbit_sizes_sum_to_the_states_found_without_symmetry()
    {
        // Symmetry stores one state per orbit and adds up orbit sizes; a search that keeps slots apart counts
        // the states themselves. The two must match on a complete search of the same bounds.
        var config = X.Config("cpython-3.12", [SlotKind.Any, SlotKind.Any], [X.Single], ["new_interp", "end_interp", "import", "del_sys_modules", "finalize"]);
        var with = X.Explore(config, depth: null, symmetry: true);
        var without = X.Explore(config, depth: null, symmetry: false);
        Assert.Equal(StopReason.Fixpoint, with.Stats.Stop);
        Assert.Equal(StopReason.Fixpoint, without.Stats.Stop);
        Assert.True(with.Stats.Distinct < without.Stats.Distinct, $"symmetry must reduce: {with.Stats.Distinct} vs {without.Stats.Distinct}");
        Assert.Equal(without.Stats.Distinct, with.Stats.DistinctUnreduced);
    }

    [Fact]
    public void Fingerprints_and_exact_storage_find_the_same_number_of_states()
    {
        var config = X.Config("cpython-3.13", [SlotKind.Any], [X.Single]);
        var fp = X.Explore(config, depth: 6, storage: StorageMode.Fingerprint);
        var exact = X.Explore(config, depth: 6, storage: StorageMode.Exact);
        Assert.Equal(exact.Stats.Distinct, fp.Stats.Distinct);
        Assert.NotNull(fp.Stats.CollisionProbability);
        Assert.Null(exact.Stats.CollisionProbability);
    }

    [Fact]
    public void A_state_limit_stops_the_search_incomplete_and_proves_nothing()
    {
        // Kept encodings, and winners derived again (the limit then stops the derivation): the same report.
        var results = new[] { int.MaxValue, 0 }.Select(keep => Explorer.Run(X.DefaultSpec("cpython-3.13"),
            new ExploreOptions { Properties = Verify.Properties.IsolationProperties.All, MaxStates = 50, KeepEncodingsUpTo = keep })).ToList();
        foreach (var r in results)
        {
            Assert.Equal(StopReason.MaxStates, r.Stats.Stop);
            Assert.False(r.Stats.Complete);
            Assert.DoesNotContain(r.Verdicts, v => v.Verdict is Verdict.Holds or Verdict.HoldsWithinDepth or Verdict.NeverWitnessed);
        }
        Assert.Equal(results[0].Stats.Distinct, results[1].Stats.Distinct);
        Assert.True(results[1].Stats.Unexplored > 0);
        Assert.Equal(results[0].Stats.Unexplored, results[1].Stats.Unexplored);
    }
}
