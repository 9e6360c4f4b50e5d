using System.Text.Json.Nodes;
using Xunit;

namespace Verify.Tests.Checker;

/// <summary>
/// The JSON report of the example traces, checked against what the semantics document (section 3) says
/// happens, not against earlier output of the program.
/// </summary>
public class ReplayJsonTests
{
    private static JsonNode Replay(string trace, string semantics) => CliRunner.ReplayJson(trace, semantics);

    private static IEnumerable<JsonNode> Events(JsonNode report, int step) => CliRunner.StepEvents(report, step);

    private static bool IsRef(JsonNode e, params string[] types) => types.Contains((string)e["type"]!);

    [Fact]
    public void D2_on_312_sub1_drops_and_frees_the_m_copy_main_owns()
    {
        var report = Replay("d2-rename.yaml", "cpython-3.12");
        var step3 = Events(report, 3).ToList();

        // The fix-up in sub1 replaces m_copy: the old value was set (main's copy of its dict).
        var change = step3.First(e => (string)e["type"]! == "m_copy_changed" && (int)e["actor"]! == 1);
        Assert.NotNull(change["old"]);
        var old = (int)change["old"]!;

        // ... and that dict, owned by main, is decref'd and freed while sub1 is current: decref-foreign(A, m_copy owned by main).
        var decref = step3.Single(e => IsRef(e, "decref") && (int)e["id"]! == old && (string)e["kind"]! == "dict");
        Assert.Equal(1, (int)decref["actor"]!);
        Assert.Equal(0, (int)decref["owner"]!);
        Assert.True((bool)decref["foreign"]!);
        var free = step3.Single(e => IsRef(e, "free") && (int)e["id"]! == old);
        Assert.Equal(1, (int)free["actor"]!);
        Assert.Equal(0, (int)free["owner"]!);
        Assert.Contains("dict", (string)free["object"]!);

        // The init ran in sub1, and the new m_copy is sub1's.
        Assert.Contains(step3, e => (string)e["type"]! == "init_ran" && (int)e["interp"]! == 1);
        var def = report["steps"]![2]!["observation"]!["defs"]!.AsArray().Single(d => (string)d!["def"]! == "_testsinglephase")!;
        Assert.Equal(1, (int)def["m_copy_owner"]!);
        Assert.Equal("ok", (string)report["steps"]![2]!["outcome"]!); // legacy: one allocator, no crash
    }

    [Fact]
    public void D2_on_313_no_foreign_decref_or_free_in_the_rename_step()
    {
        var report = Replay("d2-rename.yaml", "cpython-3.13");
        var step3 = Events(report, 3).ToList();
        Assert.DoesNotContain(step3, e => IsRef(e, "decref", "free") && (bool)e["foreign"]!);
        // 3.13 runs the init (and the fix-up) under main: a switch, and the init's interpreter is 0.
        Assert.Contains(step3, e => (string)e["type"]! == "switched" && (int)e["to"]! == 0);
        Assert.Contains(step3, e => (string)e["type"]! == "init_ran" && (int)e["interp"]! == 0);
        Assert.All(step3.Where(e => (string)e["type"]! == "m_copy_changed"), e => Assert.Equal(0, (int)e["actor"]!));
    }

    [Theory]
    [InlineData("cpython-3.12", "crash", "SIGABRT", 134)] // exp4-c: "free(): invalid pointer" in the rename import
    [InlineData("cpython-3.13", "ok", null, 0)]            // exp4-c 3.13.0: runs cleanly
    public void D2_isolated_override(string semantics, string outcome, string? signal, int exitCode)
    {
        var report = Replay("d2-rename-isolated-override.yaml", semantics);
        Assert.Equal(outcome, (string)report["steps"]![2]!["outcome"]!);
        Assert.Equal(signal, (string?)report["steps"]![2]!["signal"]);
        Assert.Equal(exitCode, (int)report["exit"]!["exit_code"]!);
    }

    [Fact]
    public void Json_report_has_the_documented_top_level_shape()
    {
        var report = Replay("d2-rename.yaml", "cpython-3.12");
        Assert.Equal(["semantics", "trace", "spec", "slots", "steps", "exit"], report.AsObject().Select(p => p.Key));
        var step = report["steps"]![0]!.AsObject();
        Assert.Equal(["step", "op", "action", "outcome", "message", "signal", "events", "observation"], step.Select(p => p.Key));
        Assert.Equal("""{"op":"import","I":0,"mod":"_testsinglephase"}""", step["op"]!.ToJsonString());
        var module = step["observation"]!["modules"]![0]!.AsObject();
        Assert.True((bool)module["init_created"]!);
        Assert.Equal(0, (int)module["init_interp"]!);
    }

    [Fact]
    public void Json_report_is_deterministic()
    {
        var a = CliRunner.Run("replay", CliRunner.Spec("traces/s1-shallow-copy.yaml"), "--json");
        var b = CliRunner.Run("replay", CliRunner.Spec("traces/s1-shallow-copy.yaml"), "--json");
        Assert.Equal(a.Out, b.Out);
    }
}
