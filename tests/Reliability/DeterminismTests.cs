using Verify.Tests.Checker;
using Xunit;
using static Verify.Tests.Reliability.ReliabilityHelpers;

namespace Verify.Tests.Reliability;

/// <summary>
/// The same spec, semantics and seed give byte-identical JSON results, whatever the thread count and however often
/// they run; only the <c>timing</c> objects may differ.
/// </summary>
public sealed class DeterminismTests
{
    [Fact]
    public void Check_with_1_and_2_workers_writes_the_same_result_json_byte_for_byte_apart_from_timing()
    {
        // Every semantics of the default spec, to depth 5: violations with traces, witnesses, and holds verdicts.
        string[] check = ["check", "--depth", "5", "--json"];
        var one = CliRunner.TempDir();
        var two = CliRunner.TempDir();
        var a = CliRunner.Run([.. check, "--workers", "1", "--out", one]);
        var b = CliRunner.Run([.. check, "--workers", "2", "--out", two]);
        Assert.Equal(1, a.Code);
        Assert.Equal(a.Code, b.Code);

        var jsonOne = File.ReadAllText(Path.Combine(one, "result.json"));
        var jsonTwo = File.ReadAllText(Path.Combine(two, "result.json"));
        Assert.Contains("\"workers\": 1", jsonOne); // the thread counts really differ, and only in "timing"
        Assert.Contains("\"workers\": 2", jsonTwo);
        Assert.Equal(WithoutTiming(jsonOne), WithoutTiming(jsonTwo));
        Assert.Equal(WithoutTiming(a.Out), WithoutTiming(jsonOne));

        // The saved traces too: same counterexamples, same bytes.
        var traces = Directory.GetFiles(one, "*.trace.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(one, f)).Order().ToList();
        Assert.NotEmpty(traces);
        Assert.Equal(traces, Directory.GetFiles(two, "*.trace.json", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(two, f)).Order());
        foreach (var t in traces)
            Assert.Equal(File.ReadAllBytes(Path.Combine(one, t)), File.ReadAllBytes(Path.Combine(two, t)));
    }

    [Fact]
    public void Random_with_the_same_seed_writes_the_same_result_json_byte_for_byte_apart_from_timing()
    {
        string[] random = ["random", "--seed", "20240611", "--runs", "300", "--json"];
        var first = CliRunner.TempDir();
        var second = CliRunner.TempDir();
        var a = CliRunner.Run([.. random, "--out", first]);
        var b = CliRunner.Run([.. random, "--out", second]);
        Assert.Equal(1, a.Code);
        Assert.Equal(a.Code, b.Code);
        var jsonA = File.ReadAllText(Path.Combine(first, "random", "result.json"));
        var jsonB = File.ReadAllText(Path.Combine(second, "random", "result.json"));
        Assert.Contains("\"violated\"", jsonA);
        Assert.Equal(WithoutTiming(jsonA), WithoutTiming(jsonB));
        Assert.Equal(WithoutTiming(a.Out), WithoutTiming(jsonA));
    }

    [Fact]
    public void Timing_objects_hold_every_figure_that_depends_on_the_clock_or_the_machine()
    {
        var r = CliRunner.Run("check", "--semantics", "cpython-3.12", "--depth", "2", "--json", "--out", CliRunner.TempDir());
        var rest = WithoutTiming(r.Out);
        foreach (var key in new[] { "elapsed_seconds", "states_per_second", "peak_memory_bytes", "workers" })
        {
            Assert.Contains($"\"{key}\"", r.Out);
            Assert.DoesNotContain($"\"{key}\"", rest);
        }
    }
}
