using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Verify.Checker;
using Verify.Checker.Reports;
using Xunit;

namespace Verify.Tests.Reliability;

internal static partial class ReliabilityHelpers
{
    /// <summary>The real command line in-process, interrupted through <paramref name="cancel"/> as a signal would.</summary>
    public static Tests.Checker.CliRunner.Result RunInterruptible(CancellationToken cancel, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr, cancel: cancel);
        return new(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// A JSON report with every <c>"timing": {...}</c> object cut out of the text itself (not re-serialised), so that
    /// what remains can be compared byte for byte.
    /// </summary>
    public static string WithoutTiming(string json)
    {
        var cut = TimingPattern().Replace(json, "");
        Assert.DoesNotContain("\"timing\"", cut);
        return cut;
    }

    [GeneratedRegex(@",\s*""timing"": \{[^{}]*\}")]
    private static partial Regex TimingPattern();

    /// <summary>Every file under <paramref name="dir"/> is whole: no temporary file, every JSON file parses, no empty file.</summary>
    public static void AssertNoPartialFiles(string dir)
    {
        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).ToList();
        Assert.DoesNotContain(files, AtomicFile.IsTemporary);
        foreach (var f in files)
        {
            var text = File.ReadAllText(f);
            Assert.False(text.Length == 0, $"{f} is empty");
            if (f.EndsWith(".json", StringComparison.Ordinal)) JsonNode.Parse(text);
        }
    }

    /// <summary>verify.dll next to the test assembly (the Checker project's output, with its runtimeconfig).</summary>
    public static string VerifyDll => Path.Combine(AppContext.BaseDirectory, "verify.dll");

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static void Signal(Process p, int signal) =>
        Assert.True(SysKill(p.Id, signal) == 0, $"kill({p.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>
    /// Starts <c>dotnet verify.dll ARGS</c> with stdout and stderr captured, with SIGINT at its default action, as in a
    /// terminal's foreground job. A process inherits an ignored SIGINT (a shell without job control ignores it in what it
    /// starts in the background, and <c>nohup</c> does too), and the runtime, like CPython, then leaves it ignored, as
    /// it should; the test suite run that way (seen: <c>(bash .ci/run &amp;)</c>) would otherwise send a Ctrl-C that
    /// nothing receives.
    /// </summary>
    public static (Process Process, StringWriterSync Out, StringWriterSync Err) StartVerify(params string[] args) =>
        StartProcess("env", [.. DefaultSigInt, "dotnet", VerifyDll, .. args]);

    /// <summary><c>env</c>'s arguments (GNU coreutils 8.31 and later) that restore SIGINT's default action.</summary>
    private static readonly string[] DefaultSigInt = ["--default-signal=INT"];

    /// <summary>
    /// Starts <c>dotnet verify.dll ARGS</c> as the leader of a process group of its own (through <c>setsid</c>), as a
    /// shell runs a foreground job: a signal sent to the group (<see cref="SignalGroup"/>) reaches it and everything
    /// it started, as a Ctrl-C on a terminal does.
    /// </summary>
    public static (Process Process, StringWriterSync Out, StringWriterSync Err) StartVerifyInOwnGroup(params string[] args) =>
        StartProcess("setsid", ["env", .. DefaultSigInt, "dotnet", VerifyDll, .. args]);

    /// <summary>Sends <paramref name="signal"/> to every process of the group <paramref name="leader"/> leads.</summary>
    public static void SignalGroup(Process leader, int signal) =>
        Assert.True(SysKill(-leader.Id, signal) == 0, $"kill(-{leader.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");

    /// <summary>Starts <paramref name="exe"/> with stdout and stderr captured.</summary>
    public static (Process Process, StringWriterSync Out, StringWriterSync Err) StartProcess(string exe, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        var stdout = new StringWriterSync();
        var stderr = new StringWriterSync();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return (p, stdout, stderr);
    }

    /// <summary>Text collected from another thread's output events.</summary>
    public sealed class StringWriterSync
    {
        private readonly System.Text.StringBuilder text = new();
        public void AppendLine(string line) { lock (text) text.Append(line).Append('\n'); }
        public override string ToString() { lock (text) return text.ToString(); }
    }
}
