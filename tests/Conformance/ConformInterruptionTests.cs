using System.Diagnostics;
using System.Text.Json.Nodes;
using Verify.Tests.Checker;
using Xunit;
using static Verify.Tests.Reliability.ReliabilityHelpers;

namespace Verify.Tests.Conformance;

/// <summary>
/// Interrupting <c>verify conform</c> while real CPython runs a trace (issue 8): the driver and its child are killed at
/// once, the trace they ran is reported as interrupted (never as a verdict), the traces done before keep theirs, the
/// result is marked incomplete with exit 3, and no file, scratch folder or process is left behind.
/// </summary>
public sealed class ConformInterruptionTests
{
    /// <summary>
    /// Tells stopping at once from running the trace to its end (about 25 s at 4,000 steps on an idle machine, longer
    /// under load), not how fast it stops: a loaded CI machine needs the margin (see InterruptionTests).
    /// </summary>
    private static readonly TimeSpan StopWithin = TimeSpan.FromSeconds(10);

    private static string ConformanceFolder => Path.Combine(AppContext.BaseDirectory, "specs", "conformance");

    /// <summary>
    /// A folder with a short trace (D2, a few steps) and a long one whose name carries <paramref name="tag"/>: 2,000
    /// rounds of importing <c>_testsinglephase</c> in main and deleting it from <c>sys.modules</c>.
    /// </summary>
    private static (string Dir, string Short, string Long) Traces(string tag)
    {
        var dir = CliRunner.TempDir();
        var shortTrace = Path.Combine(dir, "a-short.yaml");
        File.Copy(Path.Combine(ConformanceFolder, "d2-rename.yaml"), shortTrace);
        var longTrace = Path.Combine(dir, $"b-{tag}.yaml");
        var round = "  - {op: import, I: 0, mod: _testsinglephase}\n  - {op: del_sys_modules, I: 0, mod: _testsinglephase}\n";
        File.WriteAllText(longTrace, "description: long enough to be interrupted\nsteps:\n" + string.Concat(Enumerable.Repeat(round, 2000)));
        return (dir, shortTrace, longTrace);
    }

    [Fact]
    public async Task An_interrupted_conform_kills_the_running_cpython_and_reports_its_trace_as_interrupted()
    {
        var target = LiveConformanceTests.Usable("3.12", "probe");
        var tag = "long" + Guid.NewGuid().ToString("N")[..12];
        var (dir, shortTrace, longTrace) = Traces(tag);
        var outDir = CliRunner.TempDir();
        var shortRecord = Path.Combine(dir, $"a-short.cpython-{target.Version}.probe.observed.json");
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // One job: the short trace runs (and is recorded) first, then the long one.
        var run = Task.Run(() => RunInterruptible(cts.Token, "conform", "--python", target.Executable, "--jobs", "1", "--record",
            "--json", "--out", outDir, dir));
        var pids = WaitForTraceProcesses(tag, run);
        Assert.True(File.Exists(shortRecord), "the short trace was recorded before the long one started");
        Thread.Sleep(500); // well into the long trace

        var clock = Stopwatch.StartNew();
        cts.Cancel();
        var r = await run.WaitAsync(StopWithin + TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var stoppedAfter = clock.Elapsed;

        Assert.True(r.Code == 3, $"exit {r.Code}\n{r.Out}\n{r.Err}");
        Assert.True(stoppedAfter < StopWithin, $"conform took {stoppedAfter.TotalSeconds:0.00} s to stop after the interruption");
        Assert.Contains("interrupted (cancelled) after 1 of 2 traces (1 stopped while CPython ran it): the result is incomplete", r.Err);
        var json = JsonNode.Parse(r.Out)!;
        Assert.False((bool)json["complete"]!);
        Assert.Equal("cancelled", (string?)json["interrupted"]);
        Assert.Equal(3, (int)json["exit_code"]!);
        var traces = json["traces"]!.AsArray();
        Assert.Equal(2, traces.Count);
        Assert.Equal(shortTrace, (string?)traces[0]!["trace"]);
        Assert.Equal("agree", (string?)traces[0]!["status"]);
        Assert.Equal(longTrace, (string?)traces[1]!["trace"]);
        Assert.Equal("interrupted", (string?)traces[1]!["status"]);
        Assert.Null(traces[1]!["divergence"]);
        Assert.Null(traces[1]!["cpython_exit"]);

        AssertProcessesGone(pids);
        // The short trace's record is whole; the interrupted one has none; no temporary file anywhere.
        JsonNode.Parse(File.ReadAllText(shortRecord));
        Assert.Equal([Path.GetFileName(shortRecord), "a-short.yaml", Path.GetFileName(longTrace)],
            Directory.GetFiles(dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        AssertNoPartialFiles(dir);
        AssertNoPartialFiles(outDir);
        AssertNoScratchFolder(tag);
    }

    /// <summary>
    /// The real thing: a separate <c>verify</c> process and a real signal. SIGTERM goes to <c>verify</c> alone (as CI
    /// runners and <c>timeout</c> send it); SIGINT goes to its whole process group, CPython included, as Ctrl-C on a
    /// terminal does, which must not let CPython's end pass for a verdict either.
    /// </summary>
    [Theory]
    [InlineData(SigTerm, "SIGTERM", false)]
    [InlineData(SigInt, "SIGINT", true)]
    public void A_signal_stops_a_conform_process_which_kills_cpython_and_exits_3(int signal, string name, bool toGroup)
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "POSIX signals");
        var target = LiveConformanceTests.Usable("3.12", "probe");
        var tag = "long" + Guid.NewGuid().ToString("N")[..12];
        var (_, _, longTrace) = Traces(tag);
        string[] args = ["conform", "--python", target.Executable, "--json", longTrace];
        var (p, stdout, stderr) = toGroup ? StartVerifyInOwnGroup(args) : StartVerify(args);
        using (p)
        {
            int[] pids;
            try
            {
                pids = WaitForTraceProcesses(tag, null, p);
                Thread.Sleep(500);
                var clock = Stopwatch.StartNew();
                if (toGroup) SignalGroup(p, signal);
                else Signal(p, signal);
                var exited = p.WaitForExit(StopWithin + TimeSpan.FromSeconds(30));
                Assert.True(exited, $"verify did not stop after {name}");
                Assert.True(clock.Elapsed < StopWithin, $"verify took {clock.Elapsed.TotalSeconds:0.00} s to exit after {name}");
            }
            finally
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
            }
            p.WaitForExit(); // the output events
            Assert.True(p.ExitCode == 3, $"exit {p.ExitCode}\n{stdout}\n{stderr}");
            AssertProcessesGone(pids);
        }
        Assert.Contains($"interrupted ({name}) after 0 of 1 traces (1 stopped while CPython ran it)", stderr.ToString());
        var json = JsonNode.Parse(stdout.ToString())!;
        Assert.False((bool)json["complete"]!);
        Assert.Equal(name, (string?)json["interrupted"]);
        Assert.Equal("interrupted", (string?)json["traces"]![0]!["status"]);
        AssertNoScratchFolder(tag);
    }

    /// <summary>
    /// Waits until both processes of the run of the trace tagged <paramref name="tag"/> are alive, the driver and its
    /// child (each names the trace's scratch folder on its command line), and returns their ids.
    /// </summary>
    private static int[] WaitForTraceProcesses(string tag, Task<CliRunner.Result>? run, Process? verify = null)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (run is { IsCompleted: true }) Assert.Fail($"conform ended before the long trace ran: {run.Result.Out}\n{run.Result.Err}");
            Assert.False(verify?.HasExited ?? false, "verify ended before the long trace ran");
            var found = DriverProcesses(tag);
            if (found.Length >= 2) return found;
            Thread.Sleep(50);
        }
        Assert.Fail("the long trace's CPython processes never appeared");
        return [];
    }

    /// <summary>The live processes of the conformance driver whose command line contains <paramref name="text"/> (from /proc).</summary>
    private static int[] DriverProcesses(string text)
    {
        var found = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(d, "cmdline"));
                if (cmdline.Contains("driver.py", StringComparison.Ordinal) && cmdline.Contains(text, StringComparison.Ordinal) && IsRunning(pid))
                    found.Add(pid);
            }
            catch (IOException) { } // ended meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return [.. found];
    }

    /// <summary>
    /// Whether <paramref name="pid"/> is a process that still runs: not gone, and not a zombie (a killed process whose
    /// parent died first waits for init to reap it; it runs no code and holds no memory).
    /// </summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void AssertProcessesGone(int[] pids)
    {
        // The kill is sent before conform returns; the kernel may take a moment to tear a process down.
        var clock = Stopwatch.StartNew();
        while (pids.Any(IsRunning) && clock.Elapsed < TimeSpan.FromSeconds(5)) Thread.Sleep(20);
        Assert.True(!pids.Any(IsRunning), $"CPython processes still running after conform returned: {string.Join(", ", pids.Where(IsRunning))}");
    }

    /// <summary>The run's scratch folder (the trace and the driver's files, named after the trace) is gone.</summary>
    private static void AssertNoScratchFolder(string tag) =>
        Assert.Empty(Directory.EnumerateDirectories(Path.GetTempPath(), $"verify-conform-*{tag}*"));
}
