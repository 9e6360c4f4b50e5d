using Verify.Checker;
using Xunit;

namespace Verify.Tests.Conformance;

/// <summary><c>verify conform --random</c>'s bad input: one line on stderr, exit 2, before any CPython runs.</summary>
public class RandomConformCliTests
{
    private static void AssertBadInput(CliResultLike r, string expected)
    {
        Assert.Equal(ExitCodes.BadInput, r.Code);
        var line = Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains(expected, line);
    }

    private sealed record CliResultLike(int Code, string Err);

    private static CliResultLike Run(params string[] args)
    {
        var r = Checker.CliRunner.Run(["conform", "--python", "3.12", .. args]);
        return new CliResultLike(r.Code, r.Err);
    }

    [Fact]
    public void A_seed_without_random_traces_is_refused() => AssertBadInput(Run("--seed", "5", "x.yaml"), "add --random N");

    [Fact]
    public void Zero_random_traces_are_refused() => AssertBadInput(Run("--random", "0"), "--random 0");

    [Fact]
    public void A_bad_seed_is_refused() => AssertBadInput(Run("--random", "3", "--seed", "abc"), "--seed");

    [Fact]
    public void Recording_random_traces_is_refused() => AssertBadInput(Run("--random", "3", "--record"), "--record");

    [Fact]
    public void A_spec_with_modules_the_backend_lacks_is_refused()
    {
        var dir = Checker.CliRunner.TempDir();
        var spec = Path.Combine(dir, "s.yaml");
        File.WriteAllText(spec, "modules: [_testsinglephase, _testmultiphase]\n");
        AssertBadInput(Run("--random", "3", "--backend", "stdlib", "--spec", spec), "cannot load _testmultiphase");
    }
}
