using System.Text.Json.Nodes;
using Verify.Checker.Commands;
using Verify.Tests.Checker;
using Xunit;
using static Verify.Tests.Reliability.ReliabilityHelpers;

namespace Verify.Tests.Reliability;

public sealed class MemoryLimitTests
{
    [Fact]
    public void Reaching_max_memory_ends_the_search_as_incomplete_with_a_report()
    {
        // Any search holds more than a kilobyte of managed memory, so the limit is reached at the first check.
        var outDir = CliRunner.TempDir();
        var r = CliRunner.Run("check", "--semantics", "cpython-3.13", "--property", "refcounts-exact", "--depth", "40", "--max-memory", "1K", "--out", outDir);
        Assert.True(r.Code == 3, $"exit {r.Code}: {r.Err}");
        Assert.Contains("--max-memory reached before the fixpoint", r.Out);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")))!;
        Assert.Equal(1024, (long)json["limits"]!["max_memory_bytes"]!);
        Assert.False((bool)json["limits"]!["max_memory_default"]!);
        Assert.False((bool)json["complete"]!);
        Assert.Equal("max_memory", (string?)json["results"]![0]!["stats"]!["stop"]);
        Assert.Equal("incomplete", (string?)json["results"]![0]!["properties"]![0]!["verdict"]);
        AssertNoPartialFiles(outDir);
    }

    /// <summary>
    /// The limit also counts the resident set, not only the managed heap: a fresh verify process holds about 40 MB
    /// resident (the runtime) while this small search's heap stays well under 16 MB, so it stops at once, where a
    /// heap-only watch let it run to its depth bound.
    /// </summary>
    [Fact]
    public void The_memory_limit_counts_the_resident_set_not_only_the_managed_heap()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "measured on Linux");
        var outDir = CliRunner.TempDir();
        var (p, stdout, stderr) = StartVerify("check", "--semantics", "cpython-3.12", "--depth", "3", "--max-memory", "16M", "--out", outDir);
        using (p)
        {
            if (!p.WaitForExit(TimeSpan.FromSeconds(120))) p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.True(p.ExitCode is 1 or 3, $"exit {p.ExitCode}\n{stdout}\n{stderr}");
        }
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "result.json")))!;
        var run = json["results"]![0]!;
        Assert.Equal("max_memory", (string?)run["stats"]!["stop"]);
        Assert.False((bool)json["complete"]!);
        Assert.True((long)run["timing"]!["peak_memory_bytes"]! > 16L << 20, "the process's peak resident set is over the limit");
        AssertNoPartialFiles(outDir);
    }

    [Fact]
    public void The_default_limit_is_a_safe_share_of_the_memory_available_and_the_header_says_so()
    {
        var available = CheckCommand.AvailableMemory();
        Assert.True(available > 0);
        Assert.InRange(CheckCommand.DefaultMaxMemory(), available / 2, available * 3 / 4);
        var r = CliRunner.Run("check", "--semantics", "cpython-3.12", "--depth", "1", "--out", CliRunner.TempDir());
        Assert.Contains($"of memory ({CheckCommand.MemoryPercent}% of the", r.Out.Split('\n')[0]);
    }
}
