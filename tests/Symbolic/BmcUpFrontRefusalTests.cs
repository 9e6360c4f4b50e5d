using Verify.Checker.Symbolic.Z3;
using Verify.Tests.Checker;
using Xunit;

namespace Verify.Tests.Symbolic;

/// <summary>
/// What BMC covers is decided before any search: a configuration it does not cover is refused up front, naming the part
/// and what to do, so that no search is run and thrown away. Every semantics (the releases and the fix strategies) is
/// encoded, so the default spec is accepted whole; what is refused is an unencoded op or module.
/// </summary>
public sealed class BmcUpFrontRefusalTests
{
    [Fact]
    public void The_default_spec_with_bmc_is_checked_under_every_semantics()
    {
        Assert.SkipUnless(Z3Library.Available, Z3Library.Missing);
        var outDir = CliRunner.TempDir();
        var r = CliRunner.Run("check", "--engine", "bmc", "--depth", "1", "--out", outDir);
        // 3.11 violates no-cross-interpreter-decref at step 1 (creating a legacy sub drops main's m_copy of sys there, D1).
        Assert.Equal(1, r.Code);
        foreach (var semantics in new[] { "cpython-3.11", "cpython-3.12", "cpython-3.13", "fix-per-interp-def", "fix-per-interp-m-copy", "fix-opt-out", "fix-immortal-m-copy" })
            Assert.Contains(semantics, r.Out);
        Assert.True(File.Exists(Path.Combine(outDir, "result.json")));
        // The summary says what BMC did, not an enumeration's figures, which would all be 0 for it.
        Assert.Contains("bmc: Z3, one query per depth, 1 step unrolled", r.Out);
        Assert.Contains("every trace of up to 1 step covered", r.Out);
        Assert.DoesNotContain("distinct states/s", r.Out);
        Assert.DoesNotContain("bytes/state", r.Out);
    }

    [Fact]
    public void An_unencoded_op_is_refused_before_any_search()
    {
        var outDir = CliRunner.TempDir();
        // The default spec's interpreters and modules, every semantics, plus set_attr, which the encoding does not cover.
        var spec = CliRunner.TempFile("setattr.yaml",
            "interpreters: [legacy, [isolated, isolated-override]]\nmodules: [_testsinglephase, _testsinglephase_basic_wrapper]\n" +
            "operations: [new_interp, end_interp, import, del_sys_modules, clear_extension, finalize, set_attr]\ndepth: 1\nsemantics: all\n");
        var r = CliRunner.Run("check", spec, "--engine", "bmc", "--out", outDir);
        Assert.Equal(2, r.Code);
        Assert.Contains("--engine bmc cannot check cpython-3.11", r.Err);
        Assert.Contains("the op set_attr is not encoded", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        // Refused before the first search: nothing searched, printed or written.
        Assert.DoesNotContain("to depth 1", r.Out);
        Assert.DoesNotContain("VIOLATED", r.Out);
        Assert.False(File.Exists(Path.Combine(outDir, "result.json")));
    }
}
