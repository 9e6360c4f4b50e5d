using Verify.Checker.Reports;
using Verify.Tests.Checker;
using Xunit;

namespace Verify.Tests.Reliability;

public sealed class AtomicFileTests
{
    [Fact]
    public void WritesTheWholeTextAndLeavesNoTemporaryFile()
    {
        var dir = CliRunner.TempDir();
        var path = Path.Combine(dir, "result.json");
        AtomicFile.WriteAllText(path, "first\n");
        AtomicFile.WriteAllText(path, "second, longer\n");
        Assert.Equal("second, longer\n", File.ReadAllText(path));
        Assert.Equal(["result.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void AFailedRenameRemovesItsTemporaryFileAndKeepsTheTarget()
    {
        var dir = CliRunner.TempDir();
        // A folder where the file should go: the rename fails after the temporary file was written.
        var target = Path.Combine(dir, "taken");
        Directory.CreateDirectory(target);
        Assert.ThrowsAny<IOException>(() => AtomicFile.WriteAllText(target, "text"));
        Assert.Empty(Directory.GetFiles(dir));
        Assert.True(Directory.Exists(target));
    }

    [Fact]
    public void LeftoversOfAKilledRunAreRecognisedAndRemoved()
    {
        var dir = CliRunner.TempDir();
        var stray = Path.Combine(dir, $"{AtomicFile.TempPrefix}result.json.123.abc{AtomicFile.TempSuffix}");
        File.WriteAllText(stray, "half");
        File.WriteAllText(Path.Combine(dir, "keep.json"), "{}");
        Assert.True(AtomicFile.IsTemporary(stray));
        AtomicFile.RemoveLeftovers(dir);
        Assert.Equal(["keep.json"], Directory.GetFiles(dir).Select(Path.GetFileName));
    }

    [Fact]
    public void ACheckRemovesTemporaryFilesAKilledRunLeftInItsOutputFolder()
    {
        var dir = CliRunner.TempDir();
        var semanticsDir = Path.Combine(dir, "cpython-3.12");
        Directory.CreateDirectory(semanticsDir);
        var strays = new[]
        {
            Path.Combine(dir, $"{AtomicFile.TempPrefix}result.json.1.x{AtomicFile.TempSuffix}"),
            Path.Combine(semanticsDir, $"{AtomicFile.TempPrefix}p.md.1.x{AtomicFile.TempSuffix}"),
        };
        foreach (var s in strays) File.WriteAllText(s, "half");
        var r = CliRunner.Run("check", "--semantics", "cpython-3.12", "--depth", "1", "--out", dir);
        Assert.True(r.Code is 0 or 1, r.Err);
        Assert.DoesNotContain(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories), AtomicFile.IsTemporary);
        Assert.True(File.Exists(Path.Combine(dir, "result.json")));
    }
}
