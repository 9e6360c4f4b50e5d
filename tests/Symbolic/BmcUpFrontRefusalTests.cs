using Verify.Tests.Checker;
using Xunit;

namespace Verify.Tests.Symbolic;

/// <summary>
/// BMC covers the CPython releases only; the default spec also lists the fix strategies. The refusal must come before
/// any search, naming the semantics and the option that fixes it, so that no search is run and thrown away.
/// </summary>
public sealed class BmcUpFrontRefusalTests
{
    [Fact]
    public void The_default_spec_with_bmc_is_refused_before_any_search_naming_the_fix()
    {
        var outDir = CliRunner.TempDir();
        var r = CliRunner.Run("check", "--engine", "bmc", "--depth", "1", "--out", outDir);
        Assert.Equal(2, r.Code);
        Assert.Contains("--engine bmc cannot check fix-per-interp-def", r.Err);
        Assert.Contains("--semantics", r.Err);
        // Before, the three releases were searched and printed first, and the run then failed on the first strategy.
        Assert.DoesNotContain("to depth 1", r.Out);
        Assert.DoesNotContain("VIOLATED", r.Out);
        Assert.False(File.Exists(Path.Combine(outDir, "result.json")));
    }
}
