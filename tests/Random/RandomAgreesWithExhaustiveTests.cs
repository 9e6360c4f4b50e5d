using Verify.Checker.Explore;
using Verify.Checker.Random;
using Verify.Properties;
using Verify.Tests.Explore;
using Xunit;

namespace Verify.Tests.Random;

/// <summary>
/// Issue 4's measure of the shrinker: on the default spec, random runs plus shrinking reach exactly the length of
/// the exhaustive search's shortest trace for every violated property, and report nothing the search found holding.
/// Two engines that share only the model: the search knows nothing of runs or shrinking.
/// </summary>
public sealed class RandomAgreesWithExhaustiveTests
{
    public static TheoryData<string> Semantics => new() { "cpython-3.11", "cpython-3.12", "cpython-3.13" };

    [Theory, MemberData(nameof(Semantics))]
    public void Random_runs_shrink_to_the_shortest_length_and_find_nothing_that_holds(string semantics)
    {
        var c = X.DefaultSpec(semantics);
        var exhaustive = X.Explore(c, depth: 7); // the default spec's depth
        var random = RandomSearch.Run(c, R.Options(seed: 20240611));

        foreach (var p in IsolationProperties.All)
        {
            var e = X.Verdict(exhaustive, p);
            var r = random.Verdicts.Single(v => v.Property == p);
            switch (e.Verdict)
            {
                case Verdict.Violated or Verdict.Witnessed:
                    Assert.True(r.Finding is not null, $"{semantics} {p.Name}: the search finds it in {e.Trace!.Length} steps, 1000 random runs never showed it");
                    Assert.True(e.Trace!.Length == r.Finding.Shrunk.Trace.Length,
                        $"{semantics} {p.Name}: shortest {e.Trace.Length} steps, random + shrink {r.Finding.Shrunk.Trace.Length}: " +
                        R.Text(c, r.Finding.Shrunk.Trace.Steps));
                    break;
                default:
                    Assert.True(r.Finding is null, $"{semantics} {p.Name}: holds to depth 7, but run {r.Finding?.Run + 1} shows " +
                                                   $"{r.Finding?.Shrunk.Trace.Finding.Message} after {R.Text(c, r.Finding?.Shrunk.Trace.Steps ?? [])}");
                    break;
            }
        }
    }

    [Fact]
    public void The_same_seed_gives_the_same_result()
    {
        var c = X.DefaultSpec("cpython-3.12");
        var a = RandomSearch.Run(c, R.Options(seed: 5, runs: 200));
        var b = RandomSearch.Run(c, R.Options(seed: 5, runs: 200));
        Assert.Equal(a.Stats.Steps, b.Stats.Steps);
        for (var k = 0; k < a.Verdicts.Count; k++)
        {
            Assert.Equal(a.Verdicts[k].Kind, b.Verdicts[k].Kind);
            Assert.Equal(a.Verdicts[k].Finding?.Run, b.Verdicts[k].Finding?.Run);
            Assert.Equal(a.Verdicts[k].Finding?.Shrunk.Trace.Steps, b.Verdicts[k].Finding?.Shrunk.Trace.Steps);
        }
        var other = RandomSearch.Run(c, R.Options(seed: 6, runs: 200));
        Assert.NotEqual(a.Stats.Steps, other.Stats.Steps);
    }
}
