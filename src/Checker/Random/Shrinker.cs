using System.Diagnostics;
using Verify.Checker.Explore;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Random;

/// <summary>What shrinking did: the minimal trace, and what it cost.</summary>
/// <param name="OriginalLength">steps of the trace shrinking started from (the whole run)</param>
/// <param name="Replays">candidate traces replayed on the model</param>
public sealed record ShrinkResult(Counterexample Trace, int OriginalLength, int Replays, int Rounds, TimeSpan Elapsed);

/// <summary>
/// Shrinks a trace that shows a property's finding to a 1-minimal one that still shows it: removing any single
/// step makes the finding disappear (or leaves a trace the model refuses). Like Hypothesis's shrinker it never
/// loses the failure: a candidate replaces the current trace only after a replay on the model shows the same
/// property's finding, so every intermediate trace, and the result, is a real, valid counterexample.
///
/// The passes, repeated until a whole round changes nothing:
/// <list type="number">
/// <item>everything after the first finding goes (each replay stops there);</item>
/// <item>chunks: halves, quarters, ... down to pairs, scanned from the back (late steps are the likeliest noise);</item>
/// <item>single steps, from the back;</item>
/// <item>simpler arguments: two subinterpreter slots swapped throughout (lower slots first), a step of a program
/// moved to a lower interpreter (main first: a later step may then no longer need the subinterpreter it ran in), a module replaced by
/// an earlier catalogue module (throughout, then in one step), a subinterpreter created in a simpler mode
/// (legacy, then isolated, then isolated with the override).</item>
/// </list>
/// A candidate is replayed leniently: steps whose precondition no longer holds are dropped. It is accepted only
/// if the result is smaller: fewer steps, or as many and lexicographically smaller arguments. That order is
/// well-founded, so shrinking ends; and it is deterministic (no randomness, fixed pass order).
/// </summary>
public sealed class Shrinker(Configuration config, Property property)
{
    private int replays;

    public ShrinkResult Shrink(IReadOnlyList<Model.Action> failing)
    {
        var clock = Stopwatch.StartNew();
        replays = 0;
        var best = Replay(failing) ?? throw new ArgumentException(
            $"the trace does not show {property.Name} under {config.Semantics.Name}: there is nothing to shrink", nameof(failing));
        var rounds = 0;
        bool changed;
        do
        {
            rounds++;
            changed = false;
            changed |= RemoveChunks(ref best);
            changed |= RemoveSingles(ref best);
            changed |= SwapSlots(ref best);
            changed |= LowerInterpreters(ref best);
            changed |= SimplerModules(ref best);
            changed |= SimplerModes(ref best);
        }
        while (changed);
        // The last round's single-step pass removed nothing from the final trace: it is 1-minimal.
        return new ShrinkResult(best, failing.Count, replays, rounds, clock.Elapsed);
    }

    private Counterexample? Replay(IEnumerable<Model.Action> steps)
    {
        replays++;
        return TraceJudge.FirstFinding(config, property, steps);
    }

    /// <summary>Replays the candidate; keeps it if it still shows the finding and is smaller than the current trace.</summary>
    private bool Improve(ref Counterexample best, IEnumerable<Model.Action> candidate)
    {
        if (Replay(candidate) is not { } cx || Compare(cx.Steps, best.Steps) >= 0) return false;
        best = cx;
        return true;
    }

    private bool RemoveChunks(ref Counterexample best)
    {
        var changed = false;
        // The last step shows the finding and the steps before it do not (replays stop at the first finding), so
        // removing the last step can never keep the finding: every pass leaves it alone.
        for (var size = (best.Length - 1) / 2; size >= 2; size /= 2)
        {
            for (var start = best.Length - 1 - size; start >= 0; start -= size)
            {
                var steps = best.Steps;
                var from = start;
                if (Improve(ref best, steps.Where((_, k) => k < from || k >= from + size)))
                {
                    changed = true;
                    // The steps before the chunk did not move; a replay may have dropped later ones, so the next
                    // window must still end before the last step.
                    start = Math.Min(start, best.Length - 1);
                }
            }
        }
        return changed;
    }

    private bool RemoveSingles(ref Counterexample best)
    {
        var changed = false;
        for (var k = best.Length - 2; k >= 0; k--)
        {
            var steps = best.Steps;
            var skip = k;
            if (Improve(ref best, steps.Where((_, i) => i != skip)))
            {
                changed = true;
                k = Math.Min(k, best.Length - 1);
            }
        }
        return changed;
    }

    private bool SwapSlots(ref Counterexample best)
    {
        var changed = false;
        for (var low = 1; low <= config.Slots; low++)
            for (var high = low + 1; high <= config.Slots; high++)
            {
                var (a, b) = (low, high);
                changed |= Improve(ref best, best.Steps.Select(x => WithInterp(x, i => i == a ? b : i == b ? a : i)));
            }
        return changed;
    }

    private bool LowerInterpreters(ref Counterexample best)
    {
        var changed = false;
        for (var k = 0; k < best.Length; k++)
        {
            if (best.Steps[k] is not ModuleAction m) continue;
            for (var lower = 0; lower < m.I; lower++)
            {
                var (at, to) = (k, lower);
                if (Improve(ref best, best.Steps.Select((x, i) => i == at ? WithInterp(x, _ => to) : x))) { changed = true; break; }
            }
        }
        return changed;
    }

    private bool SimplerModules(ref Counterexample best)
    {
        var changed = false;
        var used = best.Steps.OfType<ModuleAction>().Select(m => m.Module).Distinct().Order().ToList();
        foreach (var module in used)
            for (var simpler = 0; simpler < module; simpler++)
            {
                var (from, to) = (module, simpler);
                if (Improve(ref best, best.Steps.Select(x => WithModule(x, from, to)))) { changed = true; break; }
            }
        for (var k = 0; k < best.Length; k++)
        {
            if (best.Steps[k] is not ModuleAction m) continue;
            for (var simpler = 0; simpler < m.Module; simpler++)
            {
                var (at, to) = (k, simpler);
                if (Improve(ref best, best.Steps.Select((x, i) => i == at ? WithModule(x, m.Module, to) : x))) { changed = true; break; }
            }
        }
        return changed;
    }

    private bool SimplerModes(ref Counterexample best)
    {
        var changed = false;
        for (var k = 0; k < best.Length; k++)
        {
            if (best.Steps[k] is not NewInterp n) continue;
            foreach (var mode in ActionText.SubinterpreterModes.TakeWhile(m => m != n.Mode))
            {
                var (at, simpler) = (k, n with { Mode = mode });
                if (Improve(ref best, best.Steps.Select((x, i) => i == at ? simpler : x))) { changed = true; break; }
            }
        }
        return changed;
    }

    private static Model.Action WithInterp(Model.Action a, Func<int, int> map) => a switch
    {
        NewInterp n => n with { I = map(n.I) },
        EndInterp e => e with { I = map(e.I) },
        Import m => m with { I = map(m.I) },
        DelSysModules m => m with { I = map(m.I) },
        Reload m => m with { I = map(m.I) },
        ReloadSpec m => m with { I = map(m.I) },
        ClearExtension m => m with { I = map(m.I) },
        SetAttr m => m with { I = map(m.I) },
        _ => a,
    };

    private static Model.Action WithModule(Model.Action a, int from, int to) => a is ModuleAction m && m.Module == from
        ? m switch
        {
            Import x => x with { Module = to },
            DelSysModules x => x with { Module = to },
            Reload x => x with { Module = to },
            ReloadSpec x => x with { Module = to },
            ClearExtension x => x with { Module = to },
            SetAttr x => x with { Module = to },
            _ => a,
        }
        : a;

    /// <summary>The shrink order: fewer steps first, then step by step the smaller (op, interpreter, module, mode).</summary>
    public static int Compare(IReadOnlyList<Model.Action> a, IReadOnlyList<Model.Action> b)
    {
        if (a.Count != b.Count) return a.Count.CompareTo(b.Count);
        for (var k = 0; k < a.Count; k++)
        {
            var c = Key(a[k]).CompareTo(Key(b[k]));
            if (c != 0) return c;
        }
        return 0;
    }

    private static (int Op, int I, int Module, int Mode) Key(Model.Action a)
    {
        var op = OpRank[a.Op];
        return a switch
        {
            NewInterp n => (op, n.I, 0, ModeRank(n.Mode)),
            EndInterp e => (op, e.I, 0, 0),
            ModuleAction m => (op, m.I, m.Module, 0),
            _ => (op, 0, 0, 0),
        };
    }

    private static readonly Dictionary<string, int> OpRank =
        Configuration.AllOperations.Select((op, k) => (op, k)).ToDictionary(x => x.op, x => x.k);

    private static int ModeRank(InterpKind mode)
    {
        for (var k = 0; k < ActionText.SubinterpreterModes.Count; k++)
            if (ActionText.SubinterpreterModes[k] == mode) return k;
        return -1;
    }
}
