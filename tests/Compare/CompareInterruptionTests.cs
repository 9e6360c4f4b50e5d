using System.Diagnostics;
using System.Text.Json.Nodes;
using Verify.Tests.Checker;
using Xunit;
using static Verify.Tests.Reliability.ReliabilityHelpers;

namespace Verify.Tests.Compare;

/// <summary>Issue 8 for compare: an interruption stops it, the partial comparison is written marked incomplete, exit 3.</summary>
public sealed class CompareInterruptionTests
{
    [Fact]
    public void An_interrupted_comparison_writes_its_partial_result_marked_incomplete_and_exits_3()
    {
        var outDir = CliRunner.TempDir();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(1.5));
        var clock = Stopwatch.StartNew();
        // 3.13 has no fixpoint and refcounts-exact holds everywhere: without the interruption this runs for hours.
        var r = RunInterruptible(cts.Token, "compare", "-s", "cpython-3.13", "-s", "fix-immortal-m-copy", "-p", "refcounts-exact",
            "--depth", "40", "--out", outDir);
        Assert.True(r.Code == 3, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"compare took {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("INCOMPLETE", r.Out);
        Assert.Contains("interrupted (cancelled)", r.Err);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "compare.json")))!;
        Assert.False((bool)json["complete"]!);
        Assert.Equal("cancelled", (string?)json["interrupted"]);
        Assert.Equal(3, (int)json["exit_code"]!);
        Assert.Equal("incomplete", (string?)json["matrix"]![0]!["verdict"]);
        Assert.True(File.Exists(Path.Combine(outDir, "compare.html")));
        AssertNoPartialFiles(outDir);
    }
}
