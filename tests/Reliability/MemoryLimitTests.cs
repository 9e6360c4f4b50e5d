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
