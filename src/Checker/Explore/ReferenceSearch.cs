using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Explore;

/// <summary>
/// The brute-force reference: one thread, breadth-first over concrete states compared structurally (no
/// fingerprints, no counter abstraction, no symmetry), to a depth bound (the concrete space is infinite:
/// init counters and 3.13's m_index grow without end). Slow and obviously right; the explorer must agree with
/// it on every verdict and shortest length.
/// </summary>
public static class ReferenceSearch
{
    public static ExploreResult Run(Configuration config, IReadOnlyList<Property> properties, int maxDepth)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var book = new FindingBook(properties);
        var parent = new Dictionary<State, (State? Parent, Model.Action? Action)>();
        var init = config.Initial();
        parent[init] = (null, null);
        var level = new List<State> { init };
        long generated = 1;
        var depth = 0;
        var cutOff = false;

        List<Model.Action> PathTo(State s)
        {
            var path = new List<Model.Action>();
            for (var at = parent[s]; at.Parent is { } p; at = parent[p]) path.Add(at.Action!);
            path.Reverse();
            return path;
        }

        // Like the explorer, a state property is judged once per distinct state (isNew); the first finding wins,
        // which in this sequential order is the shortest and, of those, the one with the smallest key.
        void JudgeStep(Step step, bool isNew, int length, long key, Func<List<Model.Action>> path)
        {
            for (var k = 0; k < properties.Count; k++)
            {
                if (book.Has(k) || (properties[k].Scope == PropertyScope.State && !isNew)) continue;
                if (properties[k].Check(step) is null) continue;
                var prop = properties[k];
                var steps = path();
                book.Offer(k, length, key, () => Judge.Replay(config, prop, steps));
            }
        }

        JudgeStep(Step.Initial(init, config.Catalogue), true, 0, 0, () => []);
        while (level.Count > 0)
        {
            if (depth == maxDepth) { cutOff = level.Any(s => config.Actions(s).Any()); break; }
            var next = new List<State>();
            for (var pos = 0; pos < level.Count; pos++)
            {
                var s = level[pos];
                var actions = config.Actions(s).ToList();
                for (var ai = 0; ai < actions.Count; ai++)
                {
                    var t = config.Step(s, actions[ai]);
                    generated++;
                    var isNew = parent.TryAdd(t.State, (s, actions[ai]));
                    var action = actions[ai];
                    JudgeStep(Step.Of(s, t, config.Catalogue), isNew, depth + 1, ((long)pos << 16) | (long)ai,
                        () => [.. PathTo(s), action]);
                    if (isNew) next.Add(t.State);
                }
            }
            level = next;
            depth++;
        }

        var stats = new SearchStats(generated, parent.Count, parent.Count, depth, clock.Elapsed,
            GC.GetTotalMemory(false), 0, null, StorageMode.Exact, false, 1,
            cutOff ? StopReason.DepthBound : StopReason.Fixpoint, cutOff ? level.Count : 0);
        return new ExploreResult(config, stats, book.Verdicts(complete: true, depthBounded: cutOff));
    }
}
