using System.Text.Json.Nodes;
using Verify.Checker;
using Verify.Checker.Conformance;
using Xunit;

namespace Verify.Tests.Conformance;

/// <summary>
/// verify conform against every installed CPython it finds (3.10-3.13), on the recorded suites' traces. Each trace runs
/// twice, because crashes can be nondeterministic; a version that is not installed (or gcc missing) skips with the reason.
/// </summary>
public class LiveConformanceTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "specs", "conformance");

    public static TheoryData<string, string> Targets() => new()
    {
        { "3.10", "probe" }, { "3.11", "probe" }, { "3.12", "probe" }, { "3.13", "probe" },
        { "3.12", "stdlib" }, { "3.13", "stdlib" },
    };

    /// <summary>The installed CPython of that version (with the probe built for the probe backend), or the test skips saying why not.</summary>
    internal static PythonTarget Usable(string version, string backend)
    {
        try
        {
            var target = PythonTarget.Resolve(version);
            if (backend == "probe") target.BuildProbe();
            return target;
        }
        catch (InputException e)
        {
            Assert.Skip($"CPython {version} is not usable here: {e.Message}");
            throw; // Assert.Skip does not return
        }
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Cpython_agrees_with_the_model_on_the_conformance_traces(string version, string backend)
    {
        var target = Usable(version, backend);
        var r = Checker.CliRunner.Run("conform", "--python", target.Executable, "--backend", backend, "--runs", "2", "--json", Folder);
        Assert.True(r.Code is 0 or 1, r.Err);
        var report = JsonNode.Parse(r.Out)!;
        foreach (var t in report["traces"]!.AsArray())
        {
            var name = Path.GetFileNameWithoutExtension((string)t!["trace"]!);
            var status = (string)t["status"]!;
            var known = RecordedSuiteTests.Known.Keys.Any(k => k.StartsWith($"{name}.cpython-{target.Version}.{backend}."));
            if (status == "skipped")
            {
                // Skipped: traces about isolated interpreters or clear_extension before 3.12; the probe-only modules on the
                // stdlib backend; the builtin where no embedding program can be built (a CPython without a shared libpython).
                var reason = (string?)t["reason"] ?? "";
                Assert.True(string.CompareOrdinal(target.Version, "3.12") < 0
                            || (backend == "stdlib" && (reason.Contains("_testmultiphase") || reason.Contains("_testoptout") || reason.Contains("_testbuiltin")))
                            || (reason.Contains("_testbuiltin") && target.BuildEmbed().Path is null),
                    $"{name}: skipped on {target.Version} ({backend}): {reason}");
                continue;
            }
            // CPython's own _testsinglephase crashing on its C globals is recognised and explained, never silently agreed.
            if (backend == "stdlib" && status == "test_module_crash") continue;
            Assert.True(status == (known ? "disagree" : "agree"), $"{name} on {target.Version} ({backend}): {status}\n{t["divergence"]?.ToJsonString()}");
        }
    }

    /// <summary>
    /// A small fixed sample of random traces per target, on the wide conformance spec (the documented 1,000-trace runs use
    /// the same spec with other seeds; docs/conformance.md): every one must agree, or be a recognised test-module crash.
    /// </summary>
    [Theory]
    [MemberData(nameof(Targets))]
    public void Cpython_agrees_with_the_model_on_random_traces(string version, string backend)
    {
        var target = Usable(version, backend);
        var spec = Path.Combine(Folder, "random", "wide.yaml");
        var outDir = Checker.CliRunner.TempDir();
        var r = Checker.CliRunner.Run("conform", "--python", target.Executable, "--backend", backend, "--spec", spec,
            "--random", "20", "--seed", "6", "--out", outDir, "--json");
        Assert.True(r.Code is 0 or 1, r.Err);
        var random = JsonNode.Parse(r.Out)!["random"]!;
        Assert.Equal(20, (int)random["traces"]!);
        Assert.True((int)random["disagree"]! == 0 && (int)random["errors"]! == 0,
            $"{version} ({backend}): {random["not_agreeing"]!.ToJsonString()}");
        Assert.Equal(20, (int)random["agree"]! + (int)random["test_module_crashes"]!);
        Assert.Equal(0, r.Code);
    }

    [Fact]
    public void A_python_that_does_not_exist_is_bad_input_with_one_line()
    {
        var r = Checker.CliRunner.Run("conform", "--python", "0.1", Folder);
        Assert.Equal(ExitCodes.BadInput, r.Code);
        var line = Assert.Single(r.Err.Trim().Split('\n'));
        Assert.Contains("--python 0.1", line);
        Assert.Contains("pyenv install", line);
    }
}
