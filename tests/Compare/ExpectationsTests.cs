using System.Text.Json.Nodes;
using Verify.Model;
using Verify.Properties;
using Verify.Tests.Checker;
using Xunit;

namespace Verify.Tests.Compare;

/// <summary>
/// The CI property suite for design comparison: `verify compare` on the built-in default spec must agree with
/// specs/expectations.yaml, whose every cell carries its reason (semantics document or strategy design).
/// </summary>
public sealed class ExpectationsTests
{
    private static readonly string File = CliRunner.Spec("expectations.yaml");

    // One comparison for the whole class: it searches seven semantics.
    private static readonly Lazy<(CliRunner.Result Run, string Out)> Default = new(() =>
    {
        var dir = CliRunner.TempDir();
        return (CliRunner.Run("compare", "--expect", File, "--out", dir, "--traces", "60"), dir);
    });

    [Fact]
    public void The_default_comparison_agrees_with_every_expectation()
    {
        var (r, _) = Default.Value;
        Assert.True(r.Code == 0, r.Err + r.Out);
        Assert.Contains("every cell agrees with", r.Out);
    }

    [Fact]
    public void Every_semantics_and_property_has_an_expectation_with_a_reason()
    {
        var text = System.IO.File.ReadAllText(File);
        foreach (var s in SemanticsRegistry.All)
            foreach (var p in IsolationProperties.All)
                Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text,
                    $@"(?m)^  {s.Name}:(\n    .*)*\n    {p.Name}: \{{verdict: [a-z_]+(, length: \d+)?, reason: ""[^""]{{10,}}""\}}"),
                    $"{s.Name} / {p.Name}: no expectation with a reason of at least 10 characters");
    }

    [Fact]
    public void The_matrix_is_complete_and_matches_the_json()
    {
        var (_, dir) = Default.Value;
        var json = JsonNode.Parse(System.IO.File.ReadAllText(Path.Combine(dir, "compare.json")))!;
        Assert.True((bool)json["complete"]!);
        var cells = json["matrix"]!.AsArray();
        Assert.Equal(SemanticsRegistry.All.Count * IsolationProperties.All.Count, cells.Count);
        Assert.DoesNotContain(cells, c => (string)c!["verdict"]! == "incomplete");
        // Every violated cell names a trace file that was written.
        foreach (var c in cells.Where(c => (string)c!["verdict"]! == "violated"))
            Assert.True(System.IO.File.Exists(Path.Combine(dir, (string)c!["trace"]!)), (string)c["trace"]!);
    }

    [Fact]
    public void A_changed_expectation_is_reported_with_its_line_and_exits_1()
    {
        // 3.11's D1 is one step (semantics document 3.1); claim two, and the check must say so and fail.
        var wrong = System.IO.File.ReadAllText(File).Replace(
            "no-cross-interpreter-decref: {verdict: violated, length: 1,", "no-cross-interpreter-decref: {verdict: violated, length: 2,");
        var path = CliRunner.TempFile("expectations.yaml", wrong);
        var r = CliRunner.Run("compare", "--expect", path, "--out", CliRunner.TempDir(), "-s", "cpython-3.11", "--traces", "1");
        Assert.Equal(1, r.Code);
        Assert.Contains("cpython-3.11 / no-cross-interpreter-decref: expected violated in 2", r.Err);
        Assert.Contains("the checker says violated in 1", r.Err);
    }

    [Fact]
    public void A_cell_without_an_expectation_is_a_disagreement()
    {
        var text = string.Join('\n', System.IO.File.ReadAllLines(File));
        var cut = text.Replace("\n    refcounts-exact: {verdict: holds, reason: \"the model's own sanity: every reference it creates or drops is counted\"}", "");
        Assert.NotEqual(text, cut);
        var r = CliRunner.Run("compare", "--expect", CliRunner.TempFile("e.yaml", cut), "--out", CliRunner.TempDir(), "-s", "cpython-3.11", "--traces", "1");
        Assert.Equal(1, r.Code);
        Assert.Contains("no expectation for cpython-3.11 / refcounts-exact", r.Err);
    }

    [Theory]
    [InlineData("cells:\n  cpython-3.14:\n    refcounts-exact: {verdict: holds, reason: \"x is a reason\"}\n", "2:3: unknown semantics 'cpython-3.14'")]
    [InlineData("cells:\n  cpython-3.13:\n    refcount-exact: {verdict: holds, reason: \"x is a reason\"}\n", "3:5: unknown property 'refcount-exact'")]
    [InlineData("cells:\n  cpython-3.13:\n    refcounts-exact: {verdict: held, reason: \"x is a reason\"}\n", "'verdict' of the expectation of cpython-3.13 / refcounts-exact is 'held'")]
    [InlineData("cells:\n  cpython-3.13:\n    refcounts-exact: {verdict: holds, length: 3, reason: \"x is a reason\"}\n", "which has no trace: remove 'length'")]
    [InlineData("cells:\n  cpython-3.13:\n    refcounts-exact: {verdict: holds}\n", "needs the key 'reason'")]
    public void A_malformed_expectations_file_is_bad_input_naming_the_place(string yaml, string message)
    {
        var path = CliRunner.TempFile("bad.yaml", yaml);
        var r = CliRunner.Run("compare", "--expect", path, "--out", CliRunner.TempDir(), "-s", "cpython-3.11", "--traces", "1");
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
    }
}
