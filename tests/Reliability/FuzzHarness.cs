using System.Diagnostics;
using System.Text.RegularExpressions;
using Verify.Checker;
using Verify.Tests.Checker;
using Xunit;

namespace Verify.Tests.Reliability;

/// <summary>
/// Runs one fuzz case through the real command line in-process and checks what every input deserves: no unhandled
/// exception (Cli.Run never throws, never exits 70, never prints a stack trace), and for bad input exit 2 with a
/// message starting "error: ", on one line, naming the file (with line and column for a syntax error).
/// </summary>
internal static partial class FuzzHarness
{
    /// <summary>No case may take longer: a run that long is a hang the fuzzer found (the token then stops it).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    /// <summary>Counts of cases by exit code, for the record in docs/reliability.md (printed to the test output).</summary>
    public sealed class Tally
    {
        private readonly int[] codes = new int[4];
        private readonly Dictionary<string, (int Count, TimeSpan Time)> byKind = [];
        public int Valid;

        /// <summary>Time spent per kind of case (a mutation, a command), to keep the suite's CI time in check.</summary>
        public void Time(string kind, TimeSpan t)
        {
            lock (byKind)
                byKind[kind] = byKind.TryGetValue(kind, out var x) ? (x.Count + 1, x.Time + t) : (1, t);
        }

        public string Times()
        {
            lock (byKind)
                return $"  in Cli.Run: {byKind.Values.Sum(v => v.Time.TotalSeconds):0.0} s in all\n" + string.Join("\n", byKind.OrderByDescending(p => p.Value.Time)
                    .Select(p => $"  {p.Key}: {p.Value.Count} cases, {p.Value.Time.TotalSeconds:0.00} s"));
        }
        public void Add(int code) { lock (codes) codes[code]++; }
        public override string ToString() =>
            $"exit 0: {codes[0]}, exit 1: {codes[1]}, exit 2: {codes[2]}, exit 3: {codes[3]}; valid-by-construction cases: {Valid}";
    }

    /// <summary>
    /// A scratch folder for thousands of small files, in memory (/dev/shm) where there is one: on a disk, rewriting a
    /// file cost milliseconds (ext4 flushes a truncated file on close, and deleting one may discard blocks), more than
    /// the runs themselves. Dispose removes it.
    /// </summary>
    public sealed class Scratch : IDisposable
    {
        public string Dir { get; }

        public Scratch()
        {
            var root = OperatingSystem.IsLinux() && Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            Dir = Path.Combine(root, "verify-fuzz-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Dir);
        }

        public string Write(FuzzFile file)
        {
            var path = Path.Combine(Dir, file.Name);
            File.WriteAllBytes(path, file.Content);
            return path;
        }

        public void Dispose()
        {
            try { Directory.Delete(Dir, recursive: true); }
            catch (IOException) { }
        }
    }

    public static CliRunner.Result Run(string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(Budget);
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = Cli.Run(args, stdout, stderr, cancel: cts.Token);
        }
        catch (Exception e)
        {
            Assert.Fail($"Cli.Run threw for {Show(args)}:\n{e}");
            throw;
        }
        Assert.True(clock.Elapsed < Budget, $"{Show(args)} ran for {clock.Elapsed.TotalSeconds:0.0} s (a hang): {stdout}\n{stderr}");
        return new CliRunner.Result(code, stdout.ToString(), stderr.ToString());
    }

    public static string Show(string[] args) => "verify " + string.Join(' ', args.Select(a => a.Length > 80 ? $"'{a[..80]}...'" : $"'{a}'"));

    /// <summary>What every run must satisfy, whatever its input.</summary>
    public static void AssertHandled(CliRunner.Result r, string[] args, Tally tally)
    {
        var what = $"{Show(args)}\nexit {r.Code}\nstderr: {Cut(r.Err)}";
        Assert.False(r.Code == ExitCodes.Internal, "internal error (exit 70): " + what);
        Assert.True(r.Code is >= 0 and <= 3, "unexpected exit code: " + what);
        Assert.DoesNotContain("internal error", r.Err);
        Assert.False(StackFrame().IsMatch(r.Err), "a stack trace on stderr: " + what);
        Assert.False(StackFrame().IsMatch(r.Out), "a stack trace on stdout: " + what);
        if (r.Code == ExitCodes.BadInput) Assert.True(r.Err.StartsWith("error: ", StringComparison.Ordinal), "exit 2 without 'error: ...': " + what);
        tally.Add(r.Code);
    }

    /// <summary>For a bad file: exactly one line, naming the file, with line and column when the syntax is wrong.</summary>
    public static void AssertFileMessage(CliRunner.Result r, string[] args, string file)
    {
        if (r.Code != ExitCodes.BadInput) return;
        var what = $"{Show(args)}\nstderr: {Cut(r.Err)}";
        var lines = r.Err.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length == 1, "the message is not one line: " + what);
        Assert.True(r.Err.Contains(file, StringComparison.Ordinal), $"the message does not name {file}: " + what);
        if (r.Err.Contains("malformed", StringComparison.Ordinal))
            Assert.True(r.Err.StartsWith($"error: {file}:", StringComparison.Ordinal) && LineColumn().IsMatch(r.Err), "a syntax error without line and column: " + what);
    }

    /// <summary>Input made valid by construction must be accepted: anything but exit 2.</summary>
    public static void AssertAccepted(CliRunner.Result r, string[] args, Tally tally)
    {
        Interlocked.Increment(ref tally.Valid);
        Assert.True(r.Code is 0 or 1 or 3, $"valid input rejected: {Show(args)}\nexit {r.Code}\nstderr: {Cut(r.Err)}");
    }

    private static string Cut(string s) => s.Length > 2000 ? s[..2000] + "..." : s;

    /// <summary>A .NET stack frame: "   at Namespace.Type.Method(arguments)", perhaps with " in file:line n".</summary>
    [GeneratedRegex(@"^[ \t]+at [\w.<>$`+\[\],|]+\(.*\)", RegexOptions.Multiline)]
    private static partial Regex StackFrame();

    [GeneratedRegex(@":\d+:\d+: ")]
    private static partial Regex LineColumn();
}
