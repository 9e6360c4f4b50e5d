using Verify.Model;

namespace Verify.Checker.Compare;

/// <summary>One behaviour change on one trace: its kind, the step (0-based) it shows at, and what happened.</summary>
public sealed record CostHit(CostKind Kind, int Step, string What);

/// <summary>
/// Plays one trace under the baseline and under a strategy side by side and reports the first step of each kind of
/// behaviour change (<see cref="CostKind"/>). The trace is valid under the baseline (it was drawn there); where the
/// strategy refuses a step (say, a <c>del</c> of a module its import refused), the traces part and the comparison
/// stops: the change that caused it was already reported at the earlier step.
/// </summary>
public static class CostProbe
{
    public sealed record Result(IReadOnlyList<CostHit> Hits, bool Diverged);

    public static Result Compare(Configuration baseline, Configuration strategy, IReadOnlyList<Model.Action> steps)
    {
        var cat = baseline.Catalogue;
        var hits = new Dictionary<CostKind, CostHit>();
        var (b, s) = (baseline.Initial(), strategy.Initial());
        for (var k = 0; k < steps.Count; k++)
        {
            var a = steps[k];
            if (!b.IsRunning || !s.IsRunning) break;
            if (!strategy.Semantics.IsEnabled(s, a, cat)) return new([.. hits.Values.OrderBy(h => h.Kind)], true);
            var tb = baseline.Semantics.Apply(b, a, cat);
            var ts = strategy.Semantics.Apply(s, a, cat);
            void Hit(CostKind kind, string what) => hits.TryAdd(kind, new CostHit(kind, k, what));

            var (ib, @is) = (Reinits(tb), Reinits(ts));
            if (@is > ib) Hit(CostKind.InitRunsAgain, $"the init runs again ({Plural(@is, "re-init")}; {ib} under {baseline.Semantics.Name})");
            if (@is < ib) Hit(CostKind.InitAvoided, $"{baseline.Semantics.Name} runs the init again here ({Plural(ib, "re-init")}; {@is} under the strategy)");
            for (var g = 0; g < cat.Globals.Count; g++)
            {
                var (nb, ns) = (tb.State.Globals[g].InitCount, ts.State.Globals[g].InitCount);
                if (ns > nb && ns > 1)
                    Hit(CostKind.CGlobalsReinitialised, $"the C globals of {cat.Globals[g]} initialised {ns} times, {nb} under {baseline.Semantics.Name}");
            }
            var (ob, os) = (tb.Outcome, ts.Outcome);
            if (os.Kind == OutcomeKind.ImportError && ob.Kind == OutcomeKind.Ok) Hit(CostKind.Unimportable, $"ImportError: {os.Message}");
            if (ob.Kind == OutcomeKind.ImportError && os.Kind == OutcomeKind.Ok) Hit(CostKind.Importable, $"imports; {baseline.Semantics.Name} raises ImportError: {ob.Message}");
            if (ob.Kind == OutcomeKind.Crash && os.Kind != OutcomeKind.Crash) Hit(CostKind.CrashAvoided, $"{baseline.Semantics.Name} crashes: {ob.Message}");
            if (os.Kind == OutcomeKind.Crash && ob.Kind != OutcomeKind.Crash) Hit(CostKind.NewCrash, $"crashes: {os.Message}");
            if (tb.State.IsRunning && ts.State.IsRunning && Visible(tb, ts, cat) is { } change) Hit(CostKind.VisibleChange, change);
            (b, s) = (tb.State, ts.State);
        }
        return new([.. hits.Values.OrderBy(h => h.Kind)], false);
    }

    /// <summary>Whether every step of <paramref name="steps"/> is enabled in turn under <paramref name="config"/> (a process that ended takes no step).</summary>
    public static bool ValidOn(Configuration config, IReadOnlyList<Model.Action> steps)
    {
        var s = config.Initial();
        foreach (var a in steps)
        {
            if (!config.Semantics.IsEnabled(s, a, config.Catalogue)) return false;
            s = config.Semantics.Apply(s, a, config.Catalogue).State;
        }
        return true;
    }

    /// <summary>
    /// Single-phase inits (a first init or <c>m_init</c>) of a step that find their C globals already initialised (init #2
    /// or later); multi-phase execs are no strategy's business.
    /// </summary>
    private static int Reinits(Transition t)
    {
        var n = 0;
        foreach (var e in t.Events)
            if (e is InitRan { Kind: InitKind.Init or InitKind.Reinit, Serial: > 1 }) n++;
        return n;
    }

    /// <summary>
    /// The first difference Python could see in <c>sys.modules</c> after the step, other than init counts (the kinds
    /// above): whether the module's function has it as <c>__self__</c>, what <c>look_up_self()</c> returns, and which
    /// interpreters share a module, its dict or its values.
    /// </summary>
    private static string? Visible(Transition tb, Transition ts, Catalogue cat)
    {
        var ob = Observer.Observe(tb.State, tb.Outcome, cat);
        var os = Observer.Observe(ts.State, ts.Outcome, cat);
        var mb = ob.Modules.ToDictionary(m => (m.I, m.Mod));
        foreach (var m in os.Modules)
        {
            if (!mb.TryGetValue((m.I, m.Mod), out var other))
                return $"{Interp.Name(m.I)} holds {m.Mod}; the baseline's sys.modules does not";
            if (m.InitCreated != other.InitCreated)
                return $"{Interp.Name(m.I)}: {m.Mod}'s function has {(m.InitCreated ? "the module" : "another module")} as __self__ ({(other.InitCreated ? "the module" : "another module")} under the baseline)";
            if (m.LookUpSelfIsModule != other.LookUpSelfIsModule)
                return $"{Interp.Name(m.I)}: look_up_self() is {m.Mod} is {m.LookUpSelfIsModule} ({other.LookUpSelfIsModule} under the baseline)";
        }
        if (ob.Modules.Count > os.Modules.Count)
        {
            var held = os.Modules.Select(m => (m.I, m.Mod)).ToHashSet();
            var missing = ob.Modules.First(m => !held.Contains((m.I, m.Mod)));
            return $"{Interp.Name(missing.I)} does not hold {missing.Mod}; the baseline's sys.modules does";
        }
        var sb = ob.Sharing.ToDictionary(x => (x.Mod, x.I, x.J));
        foreach (var x in os.Sharing)
        {
            if (!sb.TryGetValue((x.Mod, x.I, x.J), out var y)) continue;
            if (x.Module != y.Module || x.Dict != y.Dict || x.Values != y.Values)
                return $"{Interp.Name(x.I)} and {Interp.Name(x.J)} share {Shared(x)} of {x.Mod} (under the baseline: {Shared(y)})";
        }
        return null;
    }

    private static string Shared(SharingObservation x) =>
        x.Module ? "the module" : x.Dict ? "the dict" : x.Values ? "values" : "nothing";

    private static string Plural(int n, string what) => n == 1 ? $"1 {what}" : $"{n} {what}s";
}
