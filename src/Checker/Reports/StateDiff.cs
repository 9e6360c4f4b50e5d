using Verify.Model;

namespace Verify.Checker.Reports;

/// <summary>
/// What one step changed, in a few lines a reader can follow: the process phase, interpreter status, each
/// interpreter's <c>sys.modules</c>, each def's <c>m_copy</c>, the extension cache, the C globals' init counters
/// and the heap size. Objects are compared by what they are (kind, module, init, owner): ids are renumbered on
/// every step, so they cannot be compared across states.
/// </summary>
internal static class StateDiff
{
    public static IReadOnlyList<string> Lines(State before, Transition t, Catalogue cat)
    {
        var after = t.State;
        var lines = new List<string>();
        if (before.Phase != after.Phase)
            lines.Add($"process: {Phase(before.Phase)} -> {Phase(after.Phase)}");

        for (var i = 0; i < after.Interps.Count; i++)
        {
            var (b, a) = (before.Interps[i], after.Interps[i]);
            if (b.Status != a.Status)
                lines.Add($"{Interp.Name(i)}: {Status(b)} -> {Status(a)}");
            for (var mod = 0; mod < cat.Modules.Count; mod++)
            {
                var (was, now) = (Describe(before, b.SysModule(mod), cat), Describe(after, a.SysModule(mod), cat));
                if (was == now) continue;
                var where = $"{Interp.Name(i)} sys.modules['{cat.Modules[mod].Name}']";
                lines.Add(was is null ? $"{where} + {now}" : now is null ? $"{where} - {was}" : $"{where}: {was} -> {now}");
            }
        }

        var copiesChanged = t.Events.OfType<MCopyChanged>().Where(e => e.Holder < 0).Select(e => e.Def).ToHashSet();
        for (var d = 0; d < cat.Defs.Count; d++)
        {
            var (was, now) = (Describe(before, before.Defs[d].MCopy, cat), Describe(after, after.Defs[d].MCopy, cat));
            if (was != now || copiesChanged.Contains(d))
                lines.Add($"m_copy of {cat.Defs[d].Name}: {was ?? "NULL"} -> {now ?? "NULL"}");
        }

        // Fix strategies' per-interpreter m_copy and cache keys.
        for (var i = 0; i < after.Interps.Count; i++)
        {
            var (bi, ai) = (before.Interps[i], after.Interps[i]);
            for (var d = 0; d < cat.Defs.Count; d++)
            {
                var (was, now) = (Describe(before, bi.OwnMCopyOf(d), cat), Describe(after, ai.OwnMCopyOf(d), cat));
                if (was != now) lines.Add($"{Interp.Name(i)}'s own m_copy of {cat.Defs[d].Name}: {was ?? "NULL"} -> {now ?? "NULL"}");
            }
            for (var k = 0; k < cat.Modules.Count; k++)
                if (bi.OwnsKey(k) != ai.OwnsKey(k))
                    lines.Add($"{Interp.Name(i)}'s own extension cache {(ai.OwnsKey(k) ? "+" : "-")} {cat.Modules[k].Key}");
        }

        for (var k = 0; k < cat.Modules.Count; k++)
        {
            var (b, a) = (before.Cache[k], after.Cache[k]);
            if (b.Present != a.Present)
                lines.Add($"extension cache {(a.Present ? "+" : "-")} {cat.Modules[k].Key}");
            var (was, now) = (Describe(before, b.Copied, cat), Describe(after, a.Copied, cat));
            if (a.Present && b.Present && was != now)
                lines.Add($"cache record of {cat.Modules[k].Key}: {was ?? "NULL"} -> {now ?? "NULL"}");
        }

        for (var g = 0; g < cat.Globals.Count; g++)
            if (before.Globals[g].InitCount != after.Globals[g].InitCount)
                lines.Add($"C globals of {cat.Globals[g]}: initialized_count {before.Globals[g].InitCount} -> {after.Globals[g].InitCount}");

        if (before.Heap.Count != after.Heap.Count)
            lines.Add($"heap: {before.Heap.Count} -> {after.Heap.Count} objects");
        return lines;
    }

    private static string? Describe(State s, ObjId id, Catalogue cat) => id.IsObject ? Objects.Describe(s.Obj(id), cat) : null;

    private static string Phase(ProcessPhase p) => p.ToString().ToLowerInvariant();

    private static string Status(InterpState s) => s.Status switch
    {
        InterpStatus.NotCreated => "not created",
        InterpStatus.Alive => $"alive ({ActionText.Mode(s.Kind)})",
        _ => "ended",
    };
}
