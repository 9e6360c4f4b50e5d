using System.Diagnostics;
using System.Text.Json.Nodes;
using Verify.Tests.Checker;
using Xunit;
using static Verify.Tests.Reliability.ReliabilityHelpers;

namespace Verify.Tests.Reliability;

/// <summary>
/// Interrupting long runs (issue 8): the search stops within about a second, the partial result is printed and
/// written marked incomplete, the exit code is 3, and the output folder holds only whole files.
/// </summary>
public sealed class InterruptionTests
{
    /// <summary>A check that would run for hours: 3.13 has no fixpoint, and refcounts-exact holds on every path, so nothing ends it early.</summary>
    private static readonly string[] LongCheck = ["check", "--semantics", "cpython-3.13", "--property", "refcounts-exact", "--depth", "40"];

    /// <summary>
    /// The bound tells stopping from running on (the search would run for hours), not how fast it stops: the explorer
    /// polls the token every few thousand states, well under a second on an idle machine, but a CI machine can be
    /// loaded many times over (a 3 s bound failed once under a load of 15 on 2 cores), so it is generous.
    /// </summary>
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(15);

    [Fact]
    public void An_interrupted_check_writes_its_partial_result_marked_incomplete_and_exits_3()
    {
        var outDir = CliRunner.TempDir();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        var cancelledAt = TimeSpan.Zero;
        using var _ = cts.Token.Register(() => cancelledAt = clock.Elapsed);
        // Late enough that even a loaded machine (load 15+ on 2 cores) has expanded past the first level.
        cts.CancelAfter(TimeSpan.FromSeconds(5));

        var r = RunInterruptible(cts.Token, [.. LongCheck, "--out", outDir]);
        var stoppedAfter = clock.Elapsed - cancelledAt;

        Assert.True(r.Code == 3, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.True(stoppedAfter < StopWithin, $"the check took {stoppedAfter.TotalSeconds:0.00} s to stop after the interruption");
        Assert.Contains("incomplete", r.Out);
        Assert.DoesNotContain("holds", r.Out);
        Assert.Contains("interrupted (cancelled)", r.Err);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")))!;
        Assert.False((bool)json["complete"]!);
        Assert.Equal("cancelled", (string?)json["interrupted"]);
        Assert.Equal(3, (int)json["exit_code"]!);
        var run = json["results"]![0]!;
        Assert.Equal("cancelled", (string?)run["stats"]!["stop"]);
        Assert.False((bool)run["stats"]!["complete"]!);
        Assert.True((long)run["stats"]!["distinct"]! > 1, "the search made progress before the interruption");
        Assert.Equal("incomplete", (string?)run["properties"]![0]!["verdict"]);
        AssertNoPartialFiles(outDir);
    }

    [Fact]
    public void An_interrupted_random_run_writes_its_partial_result_marked_incomplete_and_exits_3()
    {
        var outDir = CliRunner.TempDir();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(1));
        var clock = Stopwatch.StartNew();
        var r = RunInterruptible(cts.Token, "random", "--semantics", "cpython-3.13", "--property", "refcounts-exact", "--runs", "100000000",
            "--seed", "7", "--out", outDir);
        Assert.True(r.Code == 3, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1) + StopWithin, $"random took {clock.Elapsed.TotalSeconds:0.00} s");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "random", "result.json")))!;
        Assert.False((bool)json["complete"]!);
        Assert.Equal("cancelled", (string?)json["interrupted"]);
        Assert.Equal("cancelled", (string?)json["results"]![0]!["stats"]!["stop"]);
        Assert.Contains("STOPPED", r.Out);
        AssertNoPartialFiles(outDir);
    }

    /// <summary>The real thing: a separate <c>verify</c> process, a real signal, the exit code the shell sees.</summary>
    [Theory]
    [InlineData(SigTerm, "SIGTERM")]
    [InlineData(SigInt, "SIGINT")]
    public void A_signal_stops_a_verify_process_which_exits_3_with_the_partial_result(int signal, string name)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals");
        var outDir = CliRunner.TempDir();
        var (p, stdout, stderr) = StartVerify([.. LongCheck, "--out", outDir]);
        using (p)
        {
            // The header is printed just before the search starts; give the search a moment to get going.
            var wait = Stopwatch.StartNew();
            while (!stdout.ToString().Contains("check ") && wait.Elapsed < TimeSpan.FromSeconds(30) && !p.HasExited)
                Thread.Sleep(50);
            Assert.False(p.HasExited, $"verify ended early: {stdout}\n{stderr}");
            Thread.Sleep(1500);

            var clock = Stopwatch.StartNew();
            Signal(p, signal);
            var exited = p.WaitForExit(TimeSpan.FromSeconds(20));
            if (!exited) p.Kill(entireProcessTree: true);
            Assert.True(exited, "verify did not stop after the signal");
            p.WaitForExit(); // the output events
            Assert.True(clock.Elapsed < StopWithin + TimeSpan.FromSeconds(1), $"verify took {clock.Elapsed.TotalSeconds:0.00} s to exit after {name}");
            Assert.True(p.ExitCode == 3, $"exit {p.ExitCode}\n{stdout}\n{stderr}");
        }
        Assert.Contains("incomplete", stdout.ToString());
        Assert.Contains($"interrupted ({name})", stderr.ToString());
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")))!;
        Assert.False((bool)json["complete"]!);
        Assert.Equal(name, (string?)json["interrupted"]);
        Assert.Equal("cancelled", (string?)json["results"]![0]!["stats"]!["stop"]);
        AssertNoPartialFiles(outDir);
    }
}
