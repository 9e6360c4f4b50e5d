using System.Text.Json.Nodes;
using Xunit;

namespace Verify.Tests.Checker;

/// <summary>The example traces of specs/traces/ replay to what section 3 of the semantics document describes.</summary>
public class ExampleTraceTests
{
    private static JsonNode Replay(string trace, string semantics) => CliRunner.ReplayJson(trace, semantics);

    private static IEnumerable<JsonNode> Events(JsonNode report, int step) => CliRunner.StepEvents(report, step);

    private static bool ForeignDrop(JsonNode e, int actor, int owner) =>
        (string)e["type"]! is "decref" or "free" && (int)e["actor"]! == actor && (int)e["owner"]! == owner;

    [Fact]
    public void Every_example_trace_has_a_description_citing_the_document_and_replays()
    {
        var files = Directory.GetFiles(CliRunner.Spec("traces"), "*.yaml");
        Assert.Equal(9, files.Length);
        foreach (var f in files)
        {
            var trace = Verify.Checker.Traces.TraceParser.ParseFile(f);
            Assert.Contains("cpython-semantics.md section 3", trace.Description!.Replace("\n", " "));
            // Each trace replays under the semantics it names, or 3.12 (the version every sequence but D1 and S3 is about).
            var r = CliRunner.Run("replay", f, "--semantics", trace.Semantics ?? "cpython-3.12");
            Assert.True(r.Code == 0, f + ": " + r.Err);
        }
    }

    [Fact]
    public void D1_on_311_creating_a_subinterpreter_drops_mains_m_copy_of_sys()
    {
        var report = Replay("d1-core-sys.yaml", "cpython-3.11");
        var step1 = Events(report, 1).ToList();
        var change = step1.First(e => (string)e["type"]! == "m_copy_changed" && (string)e["def"]! == "sys");
        Assert.Equal(1, (int)change["actor"]!);
        Assert.Contains(step1, e => ForeignDrop(e, 1, 0) && (int)e["id"]! == (int)change["old"]!);
        // Since 3.12 m_copy is skipped for core modules (exp5-core).
        Assert.DoesNotContain(Events(Replay("d1-core-sys.yaml", "cpython-3.12"), 1), e => (string)e["type"]! == "m_copy_changed");
    }

    [Fact]
    public void D3_ending_sub1_drops_the_m_copy_sub2_installed()
    {
        var report = Replay("d3-teardown-clears-foreign.yaml", "cpython-3.12");
        var step5 = Events(report, 5).ToList();
        var clear = step5.Single(e => (string)e["type"]! == "m_copy_changed" && (string)e["def"]! == "_testsinglephase");
        Assert.Equal(1, (int)clear["actor"]!);
        Assert.Null(clear["new"]);
        Assert.Contains(step5, e => ForeignDrop(e, 1, 2) && (int)e["id"]! == (int)clear["old"]!);
        // 3.13.0 keeps m_copy (exp9 3.13.0).
        Assert.DoesNotContain(Events(Replay("d3-teardown-clears-foreign.yaml", "cpython-3.13"), 5), e => (string)e["type"]! == "m_copy_changed");
    }

    [Fact]
    public void D4_clear_extension_in_sub1_frees_mains_m_copy_on_312_but_only_drops_a_reference_on_313()
    {
        var on312 = Events(Replay("d4-clear-extension.yaml", "cpython-3.12"), 3).ToList();
        Assert.Contains(on312, e => ForeignDrop(e, 1, 0) && (string)e["type"]! == "free" && (string)e["kind"]! == "dict");
        var on313 = Events(Replay("d4-clear-extension.yaml", "cpython-3.13"), 3).ToList();
        Assert.Contains(on313, e => ForeignDrop(e, 1, 0) && (string)e["type"]! == "decref" && (string)e["kind"]! == "dict");
        Assert.DoesNotContain(on313, e => ForeignDrop(e, 1, 0) && (string)e["type"]! == "free");
    }

    [Theory]
    [InlineData("cpython-3.11", 0)]   // 3.10.13 and 3.11.7 do not crash
    [InlineData("cpython-3.12", 139)] // 3.12.1 segfaults at exit (gh-116510)
    public void S1_main_holds_sub1s_objects_and_312_segfaults_at_exit(string semantics, int exitCode)
    {
        var report = Replay("s1-shallow-copy.yaml", semantics);
        var main = report["steps"]![2]!["observation"]!["modules"]!.AsArray().Single(m => (int)m!["i"]! == 0)!;
        Assert.False((bool)main["init_created"]!);
        Assert.Equal(1, (int)main["init_interp"]!);
        Assert.Equal(1, (int)main["initialized_count"]!); // the init did not run again
        Assert.Equal(exitCode, (int)report["exit"]!["exit_code"]!);
    }

    [Fact]
    public void S1_prime_main_copies_the_dead_sub1s_objects_without_a_new_init()
    {
        var report = Replay("s1-prime-dead-owner.yaml", "cpython-3.11");
        var main = report["steps"]![5]!["observation"]!["modules"]!.AsArray().Single(m => (int)m!["i"]! == 0)!;
        Assert.Equal(1, (int)main["init_interp"]!);
        Assert.Equal(1, (int)main["initialized_count"]!);
        Assert.DoesNotContain(Events(report, 6), e => (string)e["type"]! == "init_ran");
    }

    [Fact]
    public void S2_aborts_at_exit_on_312()
    {
        var report = Replay("s2-isolated-exit-abort.yaml", "cpython-3.12");
        Assert.All(report["steps"]!.AsArray(), s => Assert.Equal("ok", (string)s!["outcome"]!));
        Assert.Equal("crash", (string)report["exit"]!["outcome"]!);
        Assert.Equal("SIGABRT", (string)report["exit"]!["signal"]!);
        Assert.Equal(134, (int)report["exit"]!["exit_code"]!);
    }

    [Fact]
    public void S3_on_313_every_module_holds_main_owned_objects_and_nothing_crashes()
    {
        var report = Replay("s3-313-main-owned.yaml", "cpython-3.13");
        foreach (var step in report["steps"]!.AsArray())
            foreach (var m in step!["observation"]!["modules"]!.AsArray())
                Assert.Equal(0, (int)m!["init_interp"]!);
        // Ending sub1 never touches m_copy (exp9 3.13 B3).
        Assert.DoesNotContain(Events(report, 4), e => (string)e["type"]! == "m_copy_changed");
        Assert.Equal(0, (int)report["exit"]!["exit_code"]!);
    }
}
