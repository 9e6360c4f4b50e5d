using Verify.Checker;

namespace Verify.Tests.Checker;

/// <summary>Runs the real <c>verify</c> command line in-process and captures what it printed.</summary>
internal static class CliRunner
{
    public sealed record Result(int Code, string Out, string Err);

    public static Result Run(params string[] args) => RunWith(null, args);

    /// <summary>The command line with <c>verify check</c> running <paramref name="search"/> instead of the explorer (null: the explorer).</summary>
    public static Result RunWith(Verify.Checker.Commands.CheckCommand.Search? search, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Cli.Run(args, stdout, stderr, search: search, cancel: Xunit.TestContext.Current.CancellationToken);
        return new Result(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A file from the repository's specs/ folder (copied next to the test assembly).</summary>
    public static string Spec(string relative) => Path.Combine(AppContext.BaseDirectory, "specs", relative);

    /// <summary><c>verify replay specs/traces/TRACE --semantics S --json</c>, which must succeed; its parsed report.</summary>
    public static System.Text.Json.Nodes.JsonNode ReplayJson(string trace, string semantics)
    {
        var r = Run("replay", Spec("traces/" + trace), "--semantics", semantics, "--json");
        Xunit.Assert.True(r.Code == 0, r.Err);
        return System.Text.Json.Nodes.JsonNode.Parse(r.Out)!;
    }

    /// <summary>The events of step <paramref name="step"/> (1-based) of a replay report.</summary>
    public static IEnumerable<System.Text.Json.Nodes.JsonNode> StepEvents(System.Text.Json.Nodes.JsonNode report, int step) =>
        report["steps"]!.AsArray().Single(s => (int)s!["step"]! == step)!["events"]!.AsArray().Select(e => e!);

    /// <summary>A fresh, empty temporary folder (for <c>verify check --out</c>).</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "verify-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Writes <paramref name="content"/> to a fresh temporary file with the given name and returns its path.</summary>
    public static string TempFile(string name, string content)
    {
        var path = Path.Combine(TempDir(), name);
        File.WriteAllText(path, content);
        return path;
    }
}
