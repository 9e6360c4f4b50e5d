using Xunit;
using Verify.Model;
using Action = Verify.Model.Action;

namespace Verify.Tests.Scenarios;

/// <summary>
/// Builds traces over the default catalogue and reads their events and states. Expected values in the
/// scenario tests come from /work/shared/cpython-semantics.md, never from the model.
/// </summary>
public static class S
{
    public const string V310 = "cpython-3.10";
    public const string V311 = "cpython-3.11";
    public const string V312 = "cpython-3.12";
    public const string V313 = "cpython-3.13";

    public const string X = DefaultCatalogue.TestSinglePhase;
    public const string Alias = DefaultCatalogue.BasicWrapper;
    public const string Copy = DefaultCatalogue.BasicCopy;
    public const string Reinit = DefaultCatalogue.WithReinit;
    public const string WithState = DefaultCatalogue.WithState;
    public const string Multi = DefaultCatalogue.MultiPhase;
    public const string OptOut = DefaultCatalogue.OptOut;
    public const string Builtin = DefaultCatalogue.Builtin;

    public static readonly Catalogue Cat = DefaultCatalogue.Create();

    public static int M(string module)
    {
        var i = Cat.ModuleIndex(module);
        Assert.True(i >= 0, $"no module {module} in the default catalogue");
        return i;
    }

    /// <summary>The def index by the def's own name (<c>sys</c>, <c>_testsinglephase</c>, ...).</summary>
    public static int D(string defName)
    {
        for (var d = 0; d < Cat.Defs.Count; d++)
            if (Cat.Defs[d].Name == defName) return d;
        Assert.Fail($"no def {defName}");
        return -1;
    }

    public static Configuration Config(string version, int slots = 2)
    {
        var sem = SemanticsRegistry.Find(version);
        Assert.NotNull(sem);
        return new Configuration(sem, Cat, slots);
    }

    // ---- actions ----
    public static Action New(int i, InterpKind kind = InterpKind.Legacy) => new NewInterp(i, kind);
    public static Action End(int i) => new EndInterp(i);
    public static Action Imp(int i, string mod) => new Import(i, M(mod));
    public static Action Del(int i, string mod) => new DelSysModules(i, M(mod));
    public static Action Rel(int i, string mod) => new Reload(i, M(mod));
    public static Action RelSpec(int i, string mod) => new ReloadSpec(i, M(mod));
    public static Action Clear(int i, string mod) => new ClearExtension(i, M(mod));
    public static Action SetObj(int i, string mod) => new SetAttr(i, M(mod));

    public static Trace Run(string version, params Action[] steps) => Run(version, 2, steps);

    public static Trace Run(string version, int slots, params Action[] steps)
    {
        var cfg = Config(version, slots);
        return new Trace(cfg, cfg.Initial(), cfg.Run(steps));
    }
}

/// <summary>A run trace: the initial state, each transition, and queries on them.</summary>
public sealed class Trace(Configuration cfg, State initial, IReadOnlyList<Transition> steps)
{
    public Configuration Cfg { get; } = cfg;
    public State Initial { get; } = initial;
    public IReadOnlyList<Transition> Steps { get; } = steps;
    public Catalogue Cat => Cfg.Catalogue;

    public Transition this[int step] => Steps[step];
    public State Final => Steps.Count == 0 ? Initial : Steps[^1].State;
    public State Before(int step) => step == 0 ? Initial : Steps[step - 1].State;

    public Outcome Exit() => Cfg.Exit(Final);

    /// <summary>
    /// Asserts a crash of <paramref name="kind"/>, and that the Python-visible observation reports its signal
    /// (the experiments' exit codes: 139 = SIGSEGV, 134 = SIGABRT).
    /// </summary>
    public void AssertCrash(Outcome o, CrashKind kind)
    {
        Assert.Equal(OutcomeKind.Crash, o.Kind);
        Assert.Equal(kind, o.Crash);
        Assert.Equal(kind == CrashKind.Abort ? "SIGABRT" : "SIGSEGV", Observer.Observe(Final, o, Cat).Signal);
    }
    public Observation Observe(int step) => Observer.Observe(Steps[step].State, Steps[step].Outcome, Cat);
    public Observation ObserveFinal() => Steps.Count == 0 ? Observer.Observe(Initial, Outcome.Ok, Cat) : Observe(Steps.Count - 1);

    public void AssertAllOk()
    {
        for (var k = 0; k < Steps.Count; k++)
            Assert.True(Steps[k].Outcome.Kind == OutcomeKind.Ok,
                $"step {k} ({ActionText.Describe(Steps[k].Action, Cat)}) gave {Steps[k].Outcome}");
    }

    // ---- events of one step ----

    public IEnumerable<InitRan> Inits(int step, string? module = null, InitKind? kind = null) =>
        Steps[step].Events.OfType<InitRan>()
            .Where(e => module is null || e.Module == S.M(module))
            .Where(e => kind is null || e.Kind == kind);

    /// <summary>The ids <c>m_copy</c> of <paramref name="def"/> pointed to before the step and that the step dropped (replaced or cleared).</summary>
    public HashSet<ObjId> OldMCopies(int step, int def) =>
        Steps[step].Events.OfType<MCopyChanged>().Where(e => e.Def == def && e.Old.IsObject).Select(e => e.Old).ToHashSet();

    /// <summary>Every reference event on an <c>m_copy</c> dict of <paramref name="def"/> that the step dropped.</summary>
    public IReadOnlyList<RefEvent> MCopyDropEvents(int step, int def)
    {
        var old = OldMCopies(step, def);
        return Steps[step].Events.OfType<RefEvent>().Where(e => old.Contains(e.Id)).ToList();
    }

    /// <summary>A decref (<paramref name="op"/>) of a dropped <c>m_copy</c> of <paramref name="def"/> by <paramref name="actor"/>, of a dict owned by <paramref name="owner"/>.</summary>
    public bool DroppedMCopy(int step, int def, RefOp op, int actor, int owner) =>
        MCopyDropEvents(step, def).Any(e => e.Op == op && e.Actor == actor && e.Object.Owner == owner && e.Object.Kind == ObjKind.Dict);

    public bool AnyForeignDrop(int step, int def) => MCopyDropEvents(step, def).Any(e => e.Op != RefOp.Incref && e.IsForeign);

    public IEnumerable<RefEvent> Refs(int step) => Steps[step].Events.OfType<RefEvent>();
}

/// <summary>Reads of a state as the tests need them.</summary>
public static class St
{
    public static ObjId SysModule(State s, int interp, string mod) => s.Interps[interp].SysModule(S.M(mod));

    public static HeapObject Module(State s, int interp, string mod)
    {
        var id = SysModule(s, interp, mod);
        Assert.True(id.IsObject, $"{mod} is not in sys.modules of interpreter {interp}");
        return s.Obj(id);
    }

    public static ObjId Value(State s, int interp, string mod, Attr attr) => s.Obj(Module(s, interp, mod).Dict).Slot(attr);

    public static DefState Def(State s, string defName) => s.Defs[S.D(defName)];

    public static HeapObject? MCopy(State s, string defName)
    {
        var d = Def(s, defName);
        return d.MCopy.IsObject ? s.Obj(d.MCopy) : null;
    }

    public static int? MCopyOwner(State s, string defName) => MCopy(s, defName)?.Owner;

    public static ModuleObservation Mod(Observation o, int interp, string mod)
    {
        var m = o.Modules.SingleOrDefault(x => x.I == interp && x.Mod == mod);
        Assert.NotNull(m);
        return m;
    }

    public static DefObservation DefObs(Observation o, string defName)
    {
        var d = o.Defs.SingleOrDefault(x => x.Def == defName);
        Assert.NotNull(d);
        return d;
    }

    public static bool Cached(State s, string mod) => s.Cache[S.M(mod)].Present;
}
