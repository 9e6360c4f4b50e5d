using System.Text.Json.Nodes;
using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Checker.Specs;
using Verify.Model;
using Xunit;

namespace Verify.Tests.Checker;

/// <summary><c>verify bench</c>: bad input, the JSON's shape, symmetry's effect on the series, PARTIAL runs. No timing is asserted.</summary>
public class BenchCommandTests
{
    /// <summary>One single-phase module, two slots of any mode, three steps deep: every run completes in well under a second.</summary>
    private const string TinySpec = """
        description: one single-phase module, three steps deep
        slots: 2
        depth: 3
        semantics: [cpython-3.12]
        properties: [no-cross-interpreter-decref]
        catalogue:
          globals: [_testsinglephase]
          defs:
            - {name: _testsinglephase, style: single-phase, m_size: -1, globals: _testsinglephase, values: [list]}
          modules:
            - {name: _testsinglephase, def: _testsinglephase, origin: dynamic, path: _testsinglephase.so}
        """;

    private static string Tiny() => CliRunner.TempFile("tiny.yaml", TinySpec);

    [Theory]
    [InlineData("--slots", "0", "--slots must be from 1 to 4")]
    [InlineData("--slots", "5", "--slots must be from 1 to 4")]
    [InlineData("--semantics", "cpython-3.14", "unknown semantics 'cpython-3.14'")]
    [InlineData("--symmetry", "sometimes", "--symmetry must be on, off or both")]
    [InlineData("--max-seconds", "0", "--max-seconds must be a positive number")]
    [InlineData("--workers", "0", "--workers must be a positive integer")]
    public void Bad_input_exits_2_with_a_one_line_message(string option, string value, string message)
    {
        var r = CliRunner.Run("bench", option, value);
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        var lines = r.Err.TrimEnd().Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("error: " + message, lines[0]);
    }

    [Fact]
    public void A_missing_spec_is_bad_input()
    {
        var r = CliRunner.Run("bench", Path.Combine(CliRunner.TempDir(), "nope.yaml"), "--slots", "1");
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: ", r.Err);
    }

    private static readonly string[] TopKeys =
    [
        "spec", "interpreters", "modules", "properties", "depth", "semantics", "max_slots", "symmetry", "max_seconds", "workers",
        "storage", "started", "machine", "cancelled", "exit_code", "runs",
    ];

    private static readonly string[] RunKeys =
    [
        "semantics", "series", "slots", "interpreters", "symmetry", "distinct", "distinct_unreduced", "generated", "depth",
        "elapsed_seconds", "states_per_second", "generated_per_second", "stored_bytes", "bytes_per_state", "peak_memory_bytes", "collision_probability",
        "workers", "stop", "complete", "unexplored",
    ];

    [Fact]
    public void A_tiny_run_prints_the_documented_json_and_symmetry_never_adds_states()
    {
        var r = CliRunner.Run("bench", Tiny(), "--slots", "2", "--symmetry", "both", "--workers", "2", "--json");
        Assert.True(r.Code == 0, r.Out + r.Err);
        var doc = JsonNode.Parse(r.Out)!.AsObject();

        Assert.Equal(TopKeys, doc.Select(p => p.Key));
        Assert.Equal(["cpython-3.12"], doc["semantics"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(2, (int)doc["max_slots"]!);
        Assert.Equal([true, false], doc["symmetry"]!.AsArray().Select(x => (bool)x!));
        Assert.Equal(3, (int)doc["depth"]!);
        Assert.Equal("fingerprint", (string)doc["storage"]!);
        Assert.Equal(["build", "cores", "runtime", "os", "peak_memory_per_run"], doc["machine"]!.AsObject().Select(p => p.Key));
        Assert.False((bool)doc["cancelled"]!);
        Assert.Equal(0, (int)doc["exit_code"]!);

        // The spec's own slots, then 1 and 2 slots of any mode; each with symmetry, then without.
        var runs = doc["runs"]!.AsArray().Select(x => x!.AsObject()).ToList();
        Assert.Equal(
            [("spec", 2, true), ("spec", 2, false), ("slots", 1, true), ("slots", 1, false), ("slots", 2, true), ("slots", 2, false)],
            runs.Select(x => ((string)x["series"]!, (int)x["slots"]!, (bool)x["symmetry"]!)));
        foreach (var run in runs)
        {
            Assert.Equal(RunKeys, run.Select(p => p.Key));
            Assert.Equal("cpython-3.12", (string)run["semantics"]!);
            Assert.Equal((int)run["slots"]!, run["interpreters"]!.AsArray().Count);
            Assert.Equal("depth_bound", (string)run["stop"]!);
            Assert.True((bool)run["complete"]!);
            Assert.Equal(0, (long)run["unexplored"]!);
            Assert.True((long)run["distinct"]! > 0);
            Assert.True((long)run["generated"]! >= (long)run["distinct"]!);
            Assert.True((long)run["stored_bytes"]! > 0);
            if (!(bool)run["symmetry"]!) Assert.Equal((long)run["distinct"]!, (long)run["distinct_unreduced"]!);
        }

        var on = runs[4];
        var off = runs[5];
        Assert.True((long)on["distinct"]! <= (long)off["distinct"]!, $"{on["distinct"]} with symmetry, {off["distinct"]} without");
        // Counting every state's orbit, the reduced search accounts for exactly the states the plain one stores.
        Assert.Equal((long)off["distinct"]!, (long)on["distinct_unreduced"]!);
    }

    [Fact]
    public void The_table_has_a_row_per_run_and_a_legend()
    {
        var r = CliRunner.Run("bench", Tiny(), "--slots", "1", "--symmetry", "off", "--workers", "1");
        Assert.True(r.Code == 0, r.Out + r.Err);
        var lines = r.Out.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.StartsWith("bench ", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("semantics ", StringComparison.Ordinal) && l.Contains("distinct/s") && l.Contains("generated/s") && l.Contains("B/state") && l.EndsWith("stop", StringComparison.Ordinal));
        var rows = lines.Where(l => l.StartsWith("cpython-3.12 ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"^cpython-3\.12\s+2 spec\s+off\s.*\sdepth bound$", rows[0]);
        Assert.Matches(@"^cpython-3\.12\s+1 any\s+off\s.*\sdepth bound$", rows[1]);
        Assert.DoesNotContain("PARTIAL", r.Out);
        Assert.Contains(lines, l => l.StartsWith("B/state: ", StringComparison.Ordinal));
    }

    [Fact]
    public void A_run_a_limit_stopped_is_marked_partial()
    {
        var spec = SpecParser.ParseText(TinySpec, "tiny.yaml");
        var settings = new BenchSettings(spec, spec.Semantics, 1, [true], 5, 1);
        var stats = new SearchStats(Generated: 1000, Distinct: 100, DistinctUnreduced: 150, Depth: 4, Elapsed: TimeSpan.FromSeconds(5.2),
            PeakMemoryBytes: 50 << 20, StoredBytes: 1600, CollisionProbability: 0, Storage: StorageMode.Fingerprint, Symmetry: true,
            Workers: 1, Stop: StopReason.MaxSeconds, Unexplored: 42);
        var run = new BenchRun(spec.Semantics[0], BenchSeries.Slots, [SlotKind.Any], true, stats);
        var outcome = new BenchOutcome(settings, BenchMachine.Current(false), DateTimeOffset.UnixEpoch, [run], Cancelled: false);

        Assert.True(run.Partial);
        Assert.EndsWith("PARTIAL: --max-seconds", string.Join("  ", BenchText.Cells(run)));
        var w = new StringWriter();
        BenchText.Footer(outcome, w);
        Assert.Contains("PARTIAL: 1 run stopped before the fixpoint", w.ToString());
        var json = BenchJson.ToJson(outcome)["runs"]![0]!;
        Assert.Equal("max_seconds", (string)json["stop"]!);
        Assert.False((bool)json["complete"]!);
        Assert.Equal(42, (long)json["unexplored"]!);
        Assert.Equal(0, outcome.ExitCode);
    }
}
