using System.Text.Json.Nodes;
using Verify.Checker.Commands;
using Verify.Checker.Explore;
using Verify.Checker.Specs;
using Verify.Checker.Traces;
using Verify.Model;
using Verify.Properties;
using Xunit;

namespace Verify.Tests.Checker;

/// <summary><c>verify check</c>: exit codes, the summary, the files under --out and how they replay.</summary>
public class CheckCommandTests
{
    /// <summary>
    /// One legacy slot under cpython-3.11, two steps deep: small and fast. Semantics document D1: on 3.11 creating a
    /// subinterpreter replaces main's sys m_copy, decref'ing main's dict from the new interpreter, so
    /// no-cross-interpreter-decref is violated by the 1-step trace new_interp.
    /// </summary>
    private const string D1Spec = """
        description: one legacy slot; D1 on 3.11
        interpreters: [legacy]
        semantics: [cpython-3.11]
        properties: [no-cross-interpreter-decref, no-foreign-free, subinterpreter-imports-legacy-module]
        depth: 2
        """;

    private static (CliRunner.Result Run, string Out, string Spec) CheckD1(params string[] extra)
    {
        var spec = CliRunner.TempFile("d1.yaml", D1Spec);
        var outDir = CliRunner.TempDir();
        return (CliRunner.Run(["check", spec, "--out", outDir, .. extra]), outDir, spec);
    }

    private static JsonNode ResultJson(string outDir) => JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")))!;

    private static JsonNode PropertyResult(JsonNode result, string semantics, string property) =>
        result["results"]!.AsArray().Single(r => (string)r!["semantics"]! == semantics)!["properties"]!.AsArray()
            .Single(p => (string)p!["name"]! == property)!;

    [Fact]
    public void D1_violates_no_cross_interpreter_decref_on_3_11_with_a_1_step_trace_and_exits_1()
    {
        var (r, outDir, _) = CheckD1();
        Assert.True(r.Code == 1, r.Out + r.Err);
        Assert.Contains("cpython-3.11: 1 property violated", r.Out);
        Assert.Matches(@"VIOLATED\s+no-cross-interpreter-decref\s+1 step\s", r.Out);
        Assert.Matches(@"holds to depth 2\s+no-foreign-free", r.Out);
        Assert.Contains("result: VIOLATED (exit 1): cpython-3.11: no-cross-interpreter-decref", r.Out);

        var p = PropertyResult(ResultJson(outDir), "cpython-3.11", "no-cross-interpreter-decref");
        Assert.Equal("violated", (string)p["verdict"]!);
        Assert.Equal(1, (int)p["length"]!);
        Assert.Equal("sub1 decrefs dict (sys) owned by main", (string)p["finding"]!);
        var trace = TraceParser.ParseFile(Path.Combine(outDir, (string)p["trace"]!));
        Assert.Equal([TraceStep.NewInterp(1, "legacy")], trace.Steps.Select(s => s with { Line = 0, Column = 0 }));
    }

    [Fact]
    public void The_saved_trace_replays_from_its_own_metadata_and_reproduces_the_finding()
    {
        var (_, outDir, spec) = CheckD1();
        var p = PropertyResult(ResultJson(outDir), "cpython-3.11", "no-cross-interpreter-decref");
        var file = Path.Combine(outDir, (string)p["trace"]!);

        // verify replay FILE: the semantics and the spec come from the trace.
        var replay = CliRunner.Run("replay", file, "--json");
        Assert.True(replay.Code == 0, replay.Err);
        var report = JsonNode.Parse(replay.Out)!;
        Assert.Equal("cpython-3.11", (string)report["semantics"]!);
        Assert.Contains(CliRunner.StepEvents(report, 1), e =>
            (string)e["type"]! == "decref" && (bool)e["foreign"]! && (int)e["owner"]! == 0 && (int)e["actor"]! == 1 && ((string)e["object"]!).StartsWith("dict (sys)", StringComparison.Ordinal));
        // ... and with the options spelled out, as the report suggests.
        Assert.Equal(0, CliRunner.Run("replay", file, "--semantics", "cpython-3.11", "--spec", spec).Code);

        // The property judges the replayed last step exactly as the check reported.
        var setup = ReplaySetup.Load(file, null, null);
        var s = setup.Configuration.Initial();
        Step step = Step.Initial(s, setup.Configuration.Catalogue);
        foreach (var a in setup.Actions)
        {
            var t = setup.Configuration.Step(s, a);
            step = Step.Of(s, t, setup.Configuration.Catalogue);
            s = t.State;
        }
        var finding = IsolationProperties.NoCrossInterpreterDecref.Check(step);
        Assert.NotNull(finding);
        Assert.Equal((string)p["finding"]!, finding.Message);
    }

    [Fact]
    public void The_markdown_report_walks_each_step_marks_the_finding_and_says_what_changed()
    {
        var (_, outDir, _) = CheckD1();
        var p = PropertyResult(ResultJson(outDir), "cpython-3.11", "no-cross-interpreter-decref");
        var md = File.ReadAllText(Path.Combine(outDir, (string)p["report"]!));
        Assert.StartsWith("# no-cross-interpreter-decref: violated under cpython-3.11", md);
        Assert.Contains($"**Property** (always): {Verify.Properties.IsolationProperties.NoCrossInterpreterDecref.Statement}", md);
        Assert.Contains("## Step 1: create sub1 (legacy)", md);
        Assert.Contains("`{\"op\": \"new_interp\", \"I\": 1, \"mode\": \"legacy\"}`", md);
        Assert.Single(md.Split('\n'), l => l.Contains("\u2190 **the finding**", StringComparison.Ordinal));
        Assert.Contains(md.Split('\n'), l => l.Contains("**`FOREIGN decref by sub1 of dict (sys) owned by main", StringComparison.Ordinal) && l.Contains("the finding", StringComparison.Ordinal));
        Assert.Contains("- `sub1: not created -> alive (legacy)`", md);
        Assert.Contains("- `m_copy of sys: dict (sys) owned by main -> dict (sys) owned by sub1`", md);
        Assert.Contains("**Finding:** `sub1 decrefs dict (sys) owned by main`", md);
        Assert.Contains("verify replay ", md);

        // The witness of the sometimes-property gets its files too.
        var w = PropertyResult(ResultJson(outDir), "cpython-3.11", "subinterpreter-imports-legacy-module");
        Assert.Equal("witnessed", (string)w["verdict"]!);
        Assert.Equal(2, (int)w["length"]!);
        Assert.True(File.Exists(Path.Combine(outDir, (string)w["report"]!)));
    }

    [Fact]
    public void Result_json_has_a_stable_snake_case_shape_and_json_prints_it()
    {
        var (r, outDir, spec) = CheckD1("--json");
        Assert.Equal(1, r.Code);
        Assert.Equal(File.ReadAllText(Path.Combine(outDir, "result.json")), r.Out);
        var json = JsonNode.Parse(r.Out)!.AsObject();
        Assert.Equal(["spec", "interpreters", "modules", "depth", "limits", "symmetry", "storage", "stop_at_first_violation", "complete", "interrupted",
                      "exit_code", "results"],
            json.Select(kv => kv.Key));
        Assert.True((bool)json["complete"]!);
        Assert.Null(json["interrupted"]);
        Assert.Equal(spec, (string)json["spec"]!);
        Assert.Equal("[[\"legacy\"]]", json["interpreters"]!.ToJsonString());
        Assert.Equal(2, (int)json["depth"]!);
        Assert.Equal(["max_states", "max_seconds", "max_memory_bytes", "max_memory_default"], json["limits"]!.AsObject().Select(kv => kv.Key));
        // No --max-memory: the default share of the machine's memory, said to be the default.
        Assert.Equal(CheckCommand.DefaultMaxMemory(), (long)json["limits"]!["max_memory_bytes"]!);
        Assert.True((bool)json["limits"]!["max_memory_default"]!);
        Assert.Equal(1, (int)json["exit_code"]!);
        var run = Assert.Single(json["results"]!.AsArray())!.AsObject();
        Assert.Equal(["semantics", "exit_code", "stats", "timing", "properties"], run.Select(kv => kv.Key));
        Assert.Equal(["generated", "distinct", "distinct_unreduced", "depth", "stored_bytes", "bytes_per_state", "collision_probability", "storage",
                      "symmetry", "stop", "complete", "unexplored"],
            run["stats"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(["elapsed_seconds", "states_per_second", "peak_memory_bytes", "workers"], run["timing"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal("depth_bound", (string)run["stats"]!["stop"]!);
        Assert.Equal(2, (int)run["stats"]!["depth"]!);
        var props = run["properties"]!.AsArray();
        Assert.Equal(["no-cross-interpreter-decref", "no-foreign-free", "subinterpreter-imports-legacy-module"], props.Select(p => (string)p!["name"]!));
        foreach (var p in props)
            Assert.Equal(["name", "kind", "statement", "verdict", "length", "finding", "trace", "report"], p!.AsObject().Select(kv => kv.Key));
        var holds = props[1]!;
        Assert.Equal(("always", "holds_within_depth"), ((string)holds["kind"]!, (string)holds["verdict"]!));
        Assert.Null(holds["length"]);
        Assert.Null(holds["trace"]);
        Assert.Equal("sometimes", (string)props[2]!["kind"]!);
        Assert.Equal("cpython-3.11/subinterpreter-imports-legacy-module.trace.json", (string)props[2]!["trace"]!);
    }

    [Fact]
    public void Command_line_values_override_the_spec()
    {
        var (r, outDir, _) = CheckD1("--semantics", "cpython-3.13", "--property", "no-foreign-free", "--depth", "1", "--json");
        Assert.Equal(0, r.Code);
        var json = JsonNode.Parse(r.Out)!;
        Assert.Equal(1, (int)json["depth"]!);
        var run = Assert.Single(json["results"]!.AsArray())!;
        Assert.Equal("cpython-3.13", (string)run["semantics"]!);
        Assert.Equal(1, (int)run["stats"]!["depth"]!);
        Assert.Equal("no-foreign-free", (string)Assert.Single(run["properties"]!.AsArray())!["name"]!);
        Assert.Empty(Directory.GetDirectories(outDir));
    }

    [Fact]
    public void Without_a_spec_the_built_in_default_is_checked()
    {
        var r = CliRunner.Run("check", "--semantics", "cpython-3.11", "--property", "no-cross-interpreter-decref", "--depth", "1", "--out", CliRunner.TempDir());
        Assert.Equal(1, r.Code);
        Assert.StartsWith("check built-in specs/default.yaml: main and 2 subinterpreter slots (legacy, [isolated, isolated-override])", r.Out);
        Assert.Matches(@"VIOLATED\s+no-cross-interpreter-decref\s+1 step\s", r.Out);
    }

    [Fact]
    public void A_check_removes_the_traces_an_earlier_check_left_for_its_semantics()
    {
        var (_, outDir, spec) = CheckD1();
        var stale = Path.Combine(outDir, "cpython-3.11", "no-cross-interpreter-decref.trace.json");
        Assert.True(File.Exists(stale));
        var r = CliRunner.Run("check", spec, "--out", outDir, "--property", "no-foreign-free");
        Assert.Equal(0, r.Code);
        Assert.False(File.Exists(stale));
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, "cpython-3.11")));
    }

    [Theory]
    [InlineData(new[] { "--max-memory", "4X" }, "--max-memory must be a size such as 4G, 512M")]
    [InlineData(new[] { "--max-states", "0" }, "--max-states must be a positive integer")]
    [InlineData(new[] { "--max-seconds", "-1" }, "--max-seconds must be a positive number of seconds")]
    [InlineData(new[] { "--depth", "0" }, "--depth must be a positive integer")]
    [InlineData(new[] { "--workers", "0" }, "--workers must be a positive integer")]
    [InlineData(new[] { "--property", "no-foreign-fre" }, "unknown property 'no-foreign-fre'. Did you mean 'no-foreign-free'?")]
    [InlineData(new[] { "--semantics", "cpython-3.21" }, "unknown semantics 'cpython-3.21'")]
    [InlineData(new[] { "--max-states", "many" }, "many")]
    public void Bad_option_values_exit_2(string[] options, string message)
    {
        var r = CliRunner.Run(["check", "--out", CliRunner.TempDir(), .. options]);
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Theory]
    [InlineData("4G", 4L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("1.5GiB", 3L << 29)]
    [InlineData("100kb", 102400)]
    [InlineData("1500000000", 1500000000)]
    public void Memory_sizes_read_as_powers_of_1024(string text, long bytes) => Assert.Equal(bytes, CheckCommand.ParseSize(text));

    // ---- exit codes and verdict words, with a stand-in search whose outcome the test chooses ----

    private static SearchStats Stats(StopReason stop, int depth = 3) => new(
        Generated: 40, Distinct: 20, DistinctUnreduced: 30, Depth: depth, Elapsed: TimeSpan.FromSeconds(0.5), PeakMemoryBytes: 3 << 20,
        StoredBytes: 320, CollisionProbability: 2e-17, Storage: StorageMode.Fingerprint, Symmetry: true, Workers: 2, Stop: stop, Unexplored: 7);

    /// <summary>A search that reports <paramref name="verdict"/> for every property, stopped for <paramref name="stop"/>, per semantics.</summary>
    private static CheckCommand.Search Fake(Func<Semantics, (StopReason Stop, Verdict Verdict)> outcome) => (config, options) =>
    {
        var (stop, verdict) = outcome(config.Semantics);
        return new ExploreResult(config, Stats(stop), options.Properties.Select(p => new PropertyVerdict(p, verdict, null)).ToList());
    };

    private static CliRunner.Result CheckWith(CheckCommand.Search search, params string[] extra) =>
        CliRunner.RunWith(search, ["check", "--out", CliRunner.TempDir(), "--property", "no-foreign-free", "--property", "no-dead-owner", .. extra]);

    [Fact]
    public void A_search_a_limit_stopped_exits_3_and_says_incomplete_never_holds()
    {
        var r = CheckWith(Fake(_ => (StopReason.MaxStates, Verdict.Incomplete)), "--max-states", "5");
        Assert.Equal(3, r.Code);
        Assert.Contains("incomplete: --max-states reached before the fixpoint (7 states not expanded)", r.Out);
        Assert.Matches(@"incomplete\s+no-foreign-free", r.Out);
        Assert.Contains("result: incomplete (exit 3)", r.Out);
        Assert.DoesNotContain("holds", r.Out);
        Assert.Contains("at most 5 states", r.Out);
        Assert.Contains("collision probability 2.0E-17", r.Out);
        Assert.Contains("30 distinct without symmetry", r.Out);
    }

    [Fact]
    public void The_exit_code_is_the_worst_over_the_semantics_a_violation_before_a_limit()
    {
        var mixed = CheckWith(Fake(s => s.Name == "cpython-3.12" ? (StopReason.Fixpoint, Verdict.Violated) : (StopReason.MaxSeconds, Verdict.Incomplete)));
        Assert.Equal(1, mixed.Code);
        Assert.Contains("result: VIOLATED (exit 1): cpython-3.12: no-foreign-free, no-dead-owner", mixed.Out);

        var limit = CheckWith(Fake(s => s.Name == "cpython-3.12" ? (StopReason.Fixpoint, Verdict.Holds) : (StopReason.MaxMemory, Verdict.Incomplete)));
        Assert.Equal(3, limit.Code);

        var holds = CheckWith(Fake(_ => (StopReason.Fixpoint, Verdict.Holds)));
        Assert.Equal(0, holds.Code);
        Assert.Contains("result: every property holds (exit 0)", holds.Out);
        Assert.Contains("fixpoint: every reachable state explored", holds.Out);
    }

    [Fact]
    public void The_options_reach_the_search()
    {
        ExploreOptions? seen = null;
        var r = CliRunner.RunWith((config, options) => { seen = options; return Fake(_ => (StopReason.Fixpoint, Verdict.Holds))(config, options); },
            "check", "--out", CliRunner.TempDir(), "--semantics", "cpython-3.12", "--max-states", "100", "--max-seconds", "2.5", "--max-memory", "512M",
            "--depth", "4", "--exact", "--no-symmetry", "--workers", "3", "--first");
        Assert.Equal(0, r.Code);
        Assert.NotNull(seen);
        Assert.Equal((100L, 2.5, 512L << 20, 4), (seen.MaxStates, seen.MaxSeconds, seen.MaxMemoryBytes, seen.MaxDepth));
        Assert.Equal((StorageMode.Exact, false, 3, true), (seen.Storage, seen.Symmetry, seen.Workers, seen.StopAtFirstViolation));
        Assert.Equal(IsolationProperties.All, seen.Properties);
        Assert.Null(seen.OnProgress); // stderr is no terminal here
    }

    [Fact]
    public void On_a_terminal_stderr_shows_the_progress_line_and_erases_it()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        CheckCommand.Search search = (config, options) =>
        {
            Assert.NotNull(options.OnProgress);
            options.OnProgress(new ExploreProgress(3, 1000, 2500, 40, TimeSpan.FromSeconds(2), 5 << 20));
            return Fake(_ => (StopReason.Fixpoint, Verdict.Holds))(config, options);
        };
        var code = Verify.Checker.Cli.Run(["check", "--out", CliRunner.TempDir(), "--semantics", "cpython-3.12"], stdout, stderr, errTerminal: true, search: search,
            cancel: TestContext.Current.CancellationToken);
        Assert.Equal(0, code);
        var err = stderr.ToString();
        Assert.StartsWith("\rcpython-3.12: depth 3, 1,000 distinct, 2,500 generated, 40 queued, 500 states/s, 5.0 MiB, 00:00:02", err);
        Assert.EndsWith("\r", err);
        Assert.Equal("", err.Split('\r')[^2].Trim()); // the line is blanked before the summary
    }

    [Fact]
    public void On_a_terminal_the_summary_is_a_table()
    {
        var spec = CliRunner.TempFile("d1.yaml", D1Spec);
        var stdout = new StringWriter();
        var code = Verify.Checker.Cli.Run(["check", spec, "--out", CliRunner.TempDir()], stdout, new StringWriter(), terminal: true,
            cancel: TestContext.Current.CancellationToken);
        Assert.Equal(1, code);
        var text = stdout.ToString();
        Assert.Contains("\u2502", text); // a table border
        Assert.Matches(@"VIOLATED\S*\s*\S*\u2502\s*\S*no-cross-interpreter-decref", text);
        Assert.Contains("no-cross-interpreter-decref.trace.json", text);
        Assert.Contains("result: VIOLATED (exit 1)", text);
    }

    // ---- with the real explorer ----

    [Fact]
    public void Max_states_5_stops_the_explorer_with_exit_3_and_incomplete()
    {
        // Properties no trace of fewer than 3 steps violates on 3.12 (D2, S1'), so the first 5 states find nothing.
        var spec = CliRunner.TempFile("any.yaml", "interpreters: [any]\nsemantics: [cpython-3.12]\nproperties: [no-foreign-free, no-dead-owner]\ndepth: 3\n");
        var outDir = CliRunner.TempDir();
        var r = CliRunner.Run("check", spec, "--out", outDir, "--max-states", "5", "--workers", "2");
        var stats = ResultJson(outDir)["results"]![0]!["stats"]!;
        // Explorer.Run is a stub (the reference search) until the parallel explorer lands; it ignores the limits.
        Assert.SkipWhen((int)ResultJson(outDir)["results"]![0]!["timing"]!["workers"]! == 1 && (string)stats["storage"]! == "exact",
            "Explorer.Run ignores --workers and storage, so it is still the stub that ignores --max-states");
        Assert.Equal(3, r.Code);
        Assert.Equal("max_states", (string)stats["stop"]!);
        Assert.Contains("incomplete", r.Out);
        Assert.DoesNotContain("holds", r.Out);
    }
}
