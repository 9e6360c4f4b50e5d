using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Verify.Tests.Checker;

/// <summary><c>verify random</c>: what it prints on a violation, the files it writes and how they replay, seeds, exit codes, bad input.</summary>
public class RandomCommandTests
{
    /// <summary>
    /// D2 (cpython-semantics.md 3.1) in its smallest setting: main plus one legacy slot, _testsinglephase and the alias.
    /// On 3.12 the rename import in the subinterpreter decrefs main's m_copy: three steps.
    /// </summary>
    private const string D2Spec = """
        description: one legacy slot; D2 on 3.12
        interpreters: [legacy]
        modules: [_testsinglephase, _testsinglephase_basic_wrapper]
        operations: [new_interp, import, del_sys_modules]
        semantics: [cpython-3.12]
        properties: [no-cross-interpreter-decref, no-foreign-free]
        random:
          runs: 300
          length: 12
        """;

    private static (CliRunner.Result Run, string Out) RandomD2(params string[] extra)
    {
        var spec = CliRunner.TempFile("d2.yaml", D2Spec);
        var outDir = CliRunner.TempDir();
        return (CliRunner.Run(["random", spec, "--out", outDir, .. extra]), outDir);
    }

    [Fact]
    public void A_violation_prints_the_seed_the_shrunk_trace_and_the_replay_command_and_exits_1()
    {
        var (r, outDir) = RandomD2("--seed", "42");
        Assert.True(r.Code == 1, r.Out + r.Err);
        Assert.Contains("seed 42, 300 runs of up to 12 steps, swarm on", r.Out);
        Assert.Matches(@"VIOLATED\s+no-cross-interpreter-decref\s+3 steps", r.Out);
        Assert.Matches(@"no violation\s+no-foreign-free", r.Out); // legacy subinterpreters share main's obmalloc
        // D2's three steps (main's import and the creation of sub1 may come in either order), the rename import last.
        Assert.Matches(new Regex(@"[12]\. main: import _testsinglephase\n"), r.Out);
        Assert.Matches(new Regex(@"[12]\. create sub1 \(legacy\)\n"), r.Out);
        Assert.Matches(new Regex(@"3\. sub1: import _testsinglephase_basic_wrapper\n"), r.Out);
        Assert.Contains("finding: sub1 decrefs", r.Out);
        var trace = Path.Combine(outDir, "random", "cpython-3.12", "no-cross-interpreter-decref.trace.json");
        Assert.Contains($"replay:  verify replay {trace}", r.Out);
        Assert.True(File.Exists(Path.ChangeExtension(Path.ChangeExtension(trace, null), ".md")));

        // The saved trace replays on its own (it names its semantics and spec) and shows the foreign decref.
        var replay = CliRunner.Run("replay", trace, "--json");
        Assert.True(replay.Code == 0, replay.Err);
        var report = JsonNode.Parse(replay.Out)!;
        Assert.Equal(3, report["steps"]!.AsArray().Count);
        Assert.Contains(CliRunner.StepEvents(report, 3), e => (string?)e["type"] == "decref" && (int?)e["owner"] == 0 && (int?)e["actor"] == 1);
    }

    [Fact]
    public void The_same_seed_prints_the_same_runs()
    {
        static string Stable(string text) => Regex.Replace(text, @"[\d,.]+ s\b|[\d,]+ steps/s|/tmp/\S+", "#");
        var a = RandomD2("--seed", "0x2a", "--runs", "50");
        var b = RandomD2("--seed", "42", "--runs", "50");
        Assert.Equal(Stable(a.Run.Out), Stable(b.Run.Out));
    }

    [Fact]
    public void Result_json_lists_every_property_with_the_run_that_showed_it()
    {
        var (r, outDir) = RandomD2("--seed", "7", "--json");
        Assert.Equal(1, r.Code);
        var json = JsonNode.Parse(r.Out)!;
        Assert.Equal("7", (string?)json["seed"]);
        Assert.Equal(json.ToJsonString(), JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "random", "result.json")))!.ToJsonString());
        var props = json["results"]![0]!["properties"]!.AsArray();
        var decref = props.Single(p => (string?)p!["property"] == "no-cross-interpreter-decref")!;
        Assert.Equal("violated", (string?)decref["verdict"]);
        Assert.Equal(3, (int?)decref["shrunk_length"]);
        Assert.Equal("cpython-3.12/no-cross-interpreter-decref.trace.json", ((string?)decref["trace"])?.Replace("random/", ""));
        var free = props.Single(p => (string?)p!["property"] == "no-foreign-free")!;
        Assert.Equal("not_found", (string?)free["verdict"]);
        Assert.Null(free["trace"]);
    }

    [Fact]
    public void No_violation_exits_0_and_says_random_runs_prove_nothing()
    {
        var (r, _) = RandomD2("--seed", "1", "--property", "no-foreign-free", "--runs", "50");
        Assert.True(r.Code == 0, r.Out + r.Err);
        Assert.Contains("evidence, not proof", r.Out);
    }

    [Theory]
    [InlineData(new[] { "--seed", "abc" }, "--seed must be a whole number")]
    [InlineData(new[] { "--seed", "-3" }, "--seed must be a whole number")]
    [InlineData(new[] { "--runs", "0" }, "--runs must be a positive integer")]
    [InlineData(new[] { "--length", "-1" }, "--length must be a positive integer")]
    [InlineData(new[] { "--semantics", "cpython-3.99" }, "cpython-3.99")]
    public void Bad_options_exit_2_with_one_line(string[] args, string message)
    {
        var (r, _) = RandomD2(args);
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Theory]
    [InlineData("random: {weights: {imprt: 2}}", "'weights' of 'random' names 'imprt', which is not an op. Did you mean 'import'?")]
    [InlineData("random: {weights: {import: -1}}", "the weight of 'import' must be a number of 0 or more")]
    [InlineData("random: {weights: [import]}", "'weights' of 'random' must map op names to weights")]
    [InlineData("random: {swarm: maybe}", "'swarm' of 'random' of the spec must be true or false")]
    [InlineData("random: {runs: 0}", "'runs' of 'random' must be a positive number")]
    [InlineData("random: {rusn: 5}", "unknown key 'rusn'")]
    public void A_bad_random_section_exits_2_naming_the_place(string yaml, string message)
    {
        var spec = CliRunner.TempFile("bad.yaml", "slots: 1\n" + yaml + "\n");
        var r = CliRunner.Run("random", spec, "--out", CliRunner.TempDir());
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err);
        Assert.Contains(":2:", r.Err);
    }

    [Fact]
    public void Weights_from_the_spec_steer_the_runs()
    {
        // The header shows the weights the runs use: the spec's, over the defaults, for the ops the spec allows.
        var spec = CliRunner.TempFile("w.yaml", D2Spec.Replace("  length: 12", "  length: 12\n  weights: {del_sys_modules: 0, import: 7}"));
        var r = CliRunner.Run("random", spec, "--out", CliRunner.TempDir(), "--seed", "3", "--runs", "20");
        Assert.Contains("weights: new_interp 2, import 7, del_sys_modules 0", r.Out);
    }
}
