using Verify.Checker.Documents;
using Verify.Checker.Specs;
using Verify.Tests.Checker;
using Xunit;

namespace Verify.Tests.Reliability;

/// <summary>
/// One test per failure the fuzzing suite found (docs/reliability.md): each ran into a crash, a hang, exit 70 or a
/// message that broke the rules before its fix.
/// </summary>
public sealed class FuzzRegressionTests
{
    private static void AssertOneLineError(CliRunner.Result r, params string[] expected)
    {
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Err}");
        Assert.StartsWith("error: ", r.Err);
        Assert.Single(r.Err.TrimEnd('\n').Split('\n'));
        foreach (var e in expected) Assert.Contains(e, r.Err);
    }

    [Theory]
    [InlineData("t.yaml", 100_000, "- ")]   // block sequences: YamlStream recursed until the stack overflowed and the process died
    [InlineData("t.yaml", 100_000, "[")]
    [InlineData("t.yaml", 10_000, "{a: ")]
    [InlineData("t.json", 100_000, "[")]
    public void Deep_nesting_is_an_error_at_the_65th_level_not_a_stack_overflow(string name, int depth, string open)
    {
        var text = string.Concat(Enumerable.Repeat(open, depth)) + "x";
        var trace = CliRunner.TempFile(name, text);
        var r = CliRunner.Run("replay", trace, "--semantics", "cpython-3.12");
        AssertOneLineError(r, trace + ":1:");
        Assert.Contains(name.EndsWith(".json") ? "depth of 64" : "deeper than 64 levels", r.Err);
    }

    [Fact]
    public void Nesting_of_64_levels_is_still_read()
    {
        var ok = string.Concat(Enumerable.Repeat("[", 63)) + "{op: finalize}" + new string(']', 63);
        var r = CliRunner.Run("replay", CliRunner.TempFile("t.yaml", ok), "--semantics", "cpython-3.12");
        AssertOneLineError(r, "step 1: a step must be an object"); // 64 levels parse; the shape is then wrong, and said so
    }

    [Theory]
    [InlineData("")]
    [InlineData("a\0b")]
    public void An_unnameable_file_is_bad_input_not_an_internal_error(string path)
    {
        AssertOneLineError(CliRunner.Run("replay", path, "--semantics", "cpython-3.12"), "cannot read the file");
        AssertOneLineError(CliRunner.Run("check", path, "--depth", "1", "--out", CliRunner.TempDir()), "cannot read the file");
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(CliRunner.TempDir(), "big.yaml");
        using (var f = File.Create(path)) f.SetLength(DocReader.MaxBytes + 1); // sparse: no disk, no time
        AssertOneLineError(CliRunner.Run("replay", path, "--semantics", "cpython-3.12"), path, "up to 64 MiB");
    }
}
