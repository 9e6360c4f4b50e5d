using Verify.Checker.Explore;
using Xunit;

namespace Verify.Tests.Explore;

/// <summary>
/// Issue 3's storage target: at most 16 bytes per visited state in fingerprint mode, counting the visited set and the
/// parent links (what a trace needs). The figure depends only on how the table grows and how a link is laid out, not on
/// the model, so it is checked here on random fingerprints at every size from where every shard has grown once.
/// </summary>
public sealed class StorageCostTests
{
    [Fact]
    public void Fingerprints_and_parent_links_cost_at_most_16_bytes_a_state()
    {
        var random = new System.Random(2026);
        var visited = new VisitedSet(StorageMode.Fingerprint);
        var links = new ParentLinks(alphabetSize: 40);
        var worst = 0.0;
        for (var n = 1; n <= 400_000; n++)
        {
            ulong fp;
            do fp = (ulong)random.NextInt64() << 1 | 1; while (!visited.Shard(VisitedSet.ShardOf(fp)).Add(fp, default));
            links.Add(n - 1, n % 40);
            // From 40,000 states on, every one of the 16 shards has left its first, fixed-size table.
            if (n >= 40_000) worst = Math.Max(worst, (double)(visited.Bytes + links.Bytes) / n);
        }
        Assert.InRange(worst, 13.0, 16.0);
    }

    [Fact]
    public void A_parent_link_gives_back_the_parent_and_the_action_for_small_and_large_alphabets()
    {
        foreach (var alphabet in new[] { 40, 256, 300 })
        {
            var links = new ParentLinks(alphabet);
            for (var k = 0; k < 3_000_000; k++) links.Add(k * 7L % 4_000_000_000L, k % alphabet);
            foreach (var k in new[] { 0, 1, 1_048_575, 1_048_576, 2_999_999 })
                Assert.Equal((k * 7L % 4_000_000_000L, k % alphabet), links[k]);
        }
    }
}
