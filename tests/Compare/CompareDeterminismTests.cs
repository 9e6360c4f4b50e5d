using Verify.Tests.Checker;
using Xunit;
using static Verify.Tests.Reliability.ReliabilityHelpers;

namespace Verify.Tests.Compare;

/// <summary>Issue 8, determinism, for compare: the same spec and seed give the same compare.json bytes, timings apart.</summary>
public sealed class CompareDeterminismTests
{
    [Fact]
    public void The_same_comparison_twice_gives_byte_identical_json_apart_from_timings()
    {
        string Once()
        {
            var dir = CliRunner.TempDir();
            var r = CliRunner.Run("compare", "-s", "cpython-3.13", "-s", "fix-per-interp-def", "-s", "fix-opt-out", "--depth", "4",
                "--traces", "40", "--seed", "9", "--out", dir);
            Assert.True(r.Code == 0, r.Err);
            return File.ReadAllText(Path.Combine(dir, "compare.json"));
        }
        var (a, b) = (Once(), Once());
        Assert.Equal(WithoutTiming(a), WithoutTiming(b));
        Assert.Contains("\"seed\": 9", a);
        // The costs were measured: the same traces give the same counts, and some change was seen.
        Assert.Contains("\"kind\": \"unimportable\"", a);
    }
}
