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

    [Fact]
    public void A_huge_interpreter_number_is_an_error_not_a_configuration_of_two_billion_slots()
    {
        // Replay sized the configuration to the highest interpreter named: it ran out of memory instead of answering.
        var trace = CliRunner.TempFile("t.json", """[{"op": "import", "I": 2000000000, "mod": "_testsinglephase"}]""");
        AssertOneLineError(CliRunner.Run("replay", trace, "--semantics", "cpython-3.12"), trace + ":1:", "'I' is 2000000000", $"at most {SpecFile.MaxSlots}");
        var highest = CliRunner.TempFile("ok.json", $$"""[{"op": "new_interp", "I": {{SpecFile.MaxSlots}}, "mode": "legacy"}]""");
        Assert.Equal(0, CliRunner.Run("replay", highest, "--semantics", "cpython-3.12").Code);
    }

    [Theory]
    [InlineData("slots: 2000000000\n", "'slots' is the number of subinterpreter slots and must be at least 1 and at most 64")]
    [InlineData("slots: 65\n", "at most 64, not 65")]
    public void Too_many_slots_is_an_error_not_a_hang(string text, string expected)
    {
        var spec = CliRunner.TempFile("s.yaml", text);
        AssertOneLineError(CliRunner.Run("check", spec, "--depth", "1", "--out", CliRunner.TempDir()), spec + ":1:", expected);
    }

    [Fact]
    public void An_interpreters_list_longer_than_the_slot_bound_is_an_error()
    {
        var spec = CliRunner.TempFile("s.yaml", "interpreters: [" + string.Join(", ", Enumerable.Repeat("legacy", 65)) + "]\n");
        AssertOneLineError(CliRunner.Run("check", spec, "--depth", "1", "--out", CliRunner.TempDir()), spec + ":1:", "lists 65 slots");
    }

    [Fact]
    public void An_empty_out_folder_is_bad_input_not_an_internal_error()
    {
        // Directory.CreateDirectory("") throws ArgumentException, which Guard took for a bug in Verify (exit 70).
        AssertOneLineError(CliRunner.Run("check", "--depth", "1", "--out", ""), "--out ''", "Pass another folder with --out DIR");
        AssertOneLineError(CliRunner.Run("random", "--runs", "1", "--out", ""), "--out ''");
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
    public void A_lone_surrogate_escape_in_json_is_malformed_json_with_its_position()
    {
        // Utf8JsonReader accepts "\ud800"; GetString then threw InvalidOperationException: exit 70.
        var spec = CliRunner.TempFile("s.json", """{"slots": "\ud800", "depth": 2}""");
        AssertOneLineError(CliRunner.Run("check", spec, "--out", CliRunner.TempDir()), spec + ":1:11: malformed JSON");
        var trace = CliRunner.TempFile("t.json", """[{"op": "import", "I": 0, "mod": "\udfff"}]""");
        AssertOneLineError(CliRunner.Run("replay", trace, "--semantics", "cpython-3.12"), trace + ":1:", "malformed JSON");
    }

    [Fact]
    public void An_unknown_semantics_in_a_trace_names_the_trace_line_and_column()
    {
        // The message was "unknown semantics '-.inf'", naming neither the file nor the key.
        var trace = CliRunner.TempFile("t.yaml", "semantics: cpython-3.21\nsteps:\n  - {op: finalize}\n");
        AssertOneLineError(CliRunner.Run("replay", trace), trace + ":1:12: 'semantics' names 'cpython-3.21'", "Known semantics:");
    }

    [Fact]
    public void A_message_that_quotes_another_program_is_still_one_line()
    {
        // conform --python quoted a pyenv shim's multi-line complaint verbatim.
        Assert.Equal("a b c", Verify.Checker.CliContext.OneLine("a\n\n  b\r\nc\n"));
    }

    [Fact]
    public void A_file_over_the_size_limit_is_refused_before_it_is_read()
    {
        var path = Path.Combine(CliRunner.TempDir(), "big.yaml");
        using (var f = File.Create(path)) f.SetLength(DocReader.MaxBytes + 1); // sparse: no disk, no time
        AssertOneLineError(CliRunner.Run("replay", path, "--semantics", "cpython-3.12"), path, "up to 64 MiB");
    }
}
