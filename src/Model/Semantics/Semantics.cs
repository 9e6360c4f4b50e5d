using System.Runtime.CompilerServices;

namespace Verify.Model;

/// <summary>
/// What one CPython version (or one fix strategy) does on each transition. Everything version-independent
/// lives here: importlib's Python side (<c>_load_unlocked</c>), interpreter teardown (T11), finalization
/// (T12), the cyclic collector and crash prediction. A version supplies the C side: creating the module
/// on import, the core modules' fix-up, <c>clear_extension</c>, and runtime finalization.
/// </summary>
public abstract class Semantics
{
    /// <summary>The name users pass to <c>--semantics</c>, e.g. <c>cpython-3.12</c>.</summary>
    public abstract string Name { get; }
    /// <summary>Other versions with the same machinery.</summary>
    public virtual IReadOnlyList<string> Aliases => [];
    /// <summary>One line: what distinguishes this semantics.</summary>
    public abstract string Summary { get; }
    /// <summary>Whether this is a proposed fix (docs/strategies.md) rather than a CPython release.</summary>
    public virtual bool IsFixStrategy => false;

    /// <summary>Whether isolated interpreters (own obmalloc and GIL, the check) exist: 3.12+.</summary>
    public virtual bool HasIsolatedInterpreters => true;
    /// <summary>Whether <c>_testinternalcapi.clear_extension</c> exists: 3.12+.</summary>
    public virtual bool HasClearExtension => true;

    /// <summary>
    /// Which hazards crash the real process in this version. A free under another interpreter's obmalloc
    /// is handed to libc, which aborts; a free of an object whose interpreter has ended touches that
    /// interpreter's freed GC state, which crashes only where nothing untracks such objects first.
    /// </summary>
    public abstract CrashKind? CrashFor(HazardKind hazard);

    // ---- the C side, per version -----------------------------------------------------------------

    /// <summary>An interpreter builds its own <c>sys</c> and <c>builtins</c> and fixes them up (T9).</summary>
    protected abstract void CreateCoreModules(Machine m, int interp);

    /// <summary>
    /// <c>_imp.create_dynamic(spec)</c> / <c>_imp.create_builtin(spec)</c> in <paramref name="interp"/> for a
    /// single-phase module: the cache lookup, the init on a miss, the fix-up. Returns a new reference.
    /// </summary>
    protected abstract ObjId CreateSinglePhase(Machine m, int interp, int module);

    /// <summary><c>_testinternalcapi.clear_extension(name, path)</c> run in <paramref name="interp"/> (T10).</summary>
    protected virtual void ClearCachedExtension(Machine m, int interp, int module) =>
        throw new InvalidOperationException($"{Name} has no clear_extension");

    /// <summary><c>_PyImport_Fini</c>: what happens to the extension cache when the runtime ends.</summary>
    protected abstract void FinalizeRuntime(Machine m);

    /// <summary>3.13+: every extension init runs under main's thread state.</summary>
    protected virtual bool InitsRunUnderMain => false;

    /// <summary>Whether ending a subinterpreter leaks one reference to each object it allocated that is still alive (3.10/3.11).</summary>
    protected virtual bool LeaksSurvivorsAtTeardown => false;

    // ---- initial state ---------------------------------------------------------------------------

    /// <summary>A started process: main alive with its <c>sys</c> and <c>builtins</c>, subinterpreter slots empty.</summary>
    public State Initial(Catalogue cat, int slots)
    {
        var m = new Machine(cat, Machine.EmptyState(cat, slots));
        m.SetInterp(Interp.Main, InterpStatus.Alive, InterpKind.Main);
        CreateCoreModules(m, Interp.Main);
        return m.Freeze();
    }

    // ---- preconditions -------------------------------------------------------------------------

    /// <summary>Null when <paramref name="action"/> is enabled in <paramref name="s"/>; otherwise why not, and what would be right.</summary>
    public string? WhyDisabled(State s, Action action, Catalogue cat)
    {
        var reason = Refusal(s, action, cat, out var interp, out var module);
        if (reason == Refused.No) return null;
        // The common case inline: a text already built for this configuration.
        if (messages is { } cache && cache.Catalogue == cat && cache.Slots == s.Slots &&
            cache.Index(reason, interp, module) is >= 0 and var k && cache.Texts[k] is { } text)
            return text;
        return Message(reason, s, action, cat, interp, module);
    }

    /// <summary>Whether <paramref name="action"/> is enabled in <paramref name="s"/>: exactly when <see cref="WhyDisabled"/> is null, without building a message.</summary>
    public bool IsEnabled(State s, Action action, Catalogue cat) => Refusal(s, action, cat, out _, out _) == Refused.No;

    /// <summary>Why an action is refused, as a code; <see cref="Message"/> turns it into <see cref="WhyDisabled"/>'s text.</summary>
    private enum Refused : byte
    {
        No, Crashed, Finalized,
        NotSlot, AlreadyAlive, SlotEnded, ModeMain, NoIsolated,
        EndMain, EndNotAlive,
        NoSuchInterp, InterpNotAlive, NoSuchModule, Core, NoClearExtension, NotInSysModules, NoObj,
        Unknown,
    }

    /// <summary>
    /// The precondition, string-free: the checks of <see cref="WhyDisabled"/>, in its order. <paramref name="interp"/> and
    /// <paramref name="module"/> are the action's arguments (-1 where it has none), which the texts name. The sealed
    /// module actions are matched by exact type first (a type compare, where a test against the abstract
    /// <see cref="ModuleAction"/> walks the class hierarchy).
    /// </summary>
    private Refused Refusal(State s, Action action, Catalogue cat, out int interp, out int module)
    {
        interp = -1;
        module = -1;
        if (!s.IsRunning)
            return s.Phase == ProcessPhase.Crashed ? Refused.Crashed : Refused.Finalized;
        if (action is Import or DelSysModules or Reload or ReloadSpec or ClearExtension or SetAttr)
            return ModuleRefusal(s, Unsafe.As<ModuleAction>(action), cat, out interp, out module);
        switch (action)
        {
            case NewInterp n:
                interp = n.I;
                if (n.I < 1 || n.I > s.Slots) return Refused.NotSlot;
                var status = s.Interps[n.I].Status;
                if (status == InterpStatus.Alive) return Refused.AlreadyAlive;
                if (status == InterpStatus.Ended) return Refused.SlotEnded;
                if (n.Mode == InterpKind.Main) return Refused.ModeMain;
                if (n.Mode != InterpKind.Legacy && !HasIsolatedInterpreters) return Refused.NoIsolated;
                return Refused.No;
            case EndInterp e:
                interp = e.I;
                if (e.I == Interp.Main) return Refused.EndMain;
                if (!s.IsAlive(e.I)) return Refused.EndNotAlive;
                return Refused.No;
            case Finalization:
                return Refused.No;
            case ModuleAction ma:
                return ModuleRefusal(s, ma, cat, out interp, out module);
            default:
                return Refused.Unknown;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Refused ModuleRefusal(State s, ModuleAction ma, Catalogue cat, out int interp, out int module)
    {
        interp = ma.I;
        module = ma.Module;
        if (!s.IsAlive(interp)) return interp < 0 || interp > s.Slots ? Refused.NoSuchInterp : Refused.InterpNotAlive;
        if (module < 0 || module >= cat.Modules.Count) return Refused.NoSuchModule;
        if (cat.IsCore(module)) return Refused.Core;
        if (ma is Import) return Refused.No;
        if (ma is ClearExtension) return HasClearExtension ? Refused.No : Refused.NoClearExtension;
        if (!s.Interps[interp].SysModule(module).IsObject) return Refused.NotInSysModules;
        if (ma is SetAttr && !cat.DefOf(module).Values.HasFlag(ValueSet.List)) return Refused.NoObj;
        return Refused.No;
    }

    /// <summary>The text of a refusal. Each text depends on the action, the slot count and the catalogue only, so the common ones are built once.</summary>
    private string Message(Refused reason, State s, Action action, Catalogue cat, int i, int module)
    {
        switch (reason)
        {
            case Refused.Crashed: return "the process has crashed: no step can follow";
            case Refused.Finalized: return "the process is finalized: no step can follow finalize";
            case Refused.Unknown: return $"unknown action {action}";
        }
        var cache = messages;
        if (cache is null || cache.Catalogue != cat || cache.Slots != s.Slots) messages = cache = new MessageCache(cat, s.Slots);
        var k = cache.Index(reason, i, module);
        if (k < 0) return Compose(reason, s, action, cat);
        return cache.Texts[k] ?? (cache.Texts[k] = Compose(reason, s, action, cat));
    }

    private string Compose(Refused reason, State s, Action action, Catalogue cat)
    {
        switch (action)
        {
            case NewInterp n:
                return reason switch
                {
                    Refused.NotSlot => $"interpreter {n.I} is not a subinterpreter slot: this configuration has slots 1..{s.Slots} (0 is main)",
                    Refused.AlreadyAlive => $"interpreter {n.I} is already alive",
                    Refused.SlotEnded => $"interpreter {n.I} has ended; slots are not reused: use another slot",
                    Refused.ModeMain => "mode must be legacy, isolated or isolated-override",
                    _ => $"{Name} has no isolated interpreters (no per-interpreter obmalloc or isolation check): use mode legacy",
                };
            case EndInterp e:
                return reason == Refused.EndMain
                    ? "interpreter 0 is main: main ends only with finalize"
                    : $"interpreter {e.I} is not alive: create it with new_interp first";
            case ModuleAction ma:
                switch (reason)
                {
                    case Refused.NoSuchInterp: return $"interpreter {ma.I} does not exist: this configuration has 0 (main) and slots 1..{s.Slots}";
                    case Refused.InterpNotAlive: return $"interpreter {ma.I} is not alive: create it with new_interp first";
                    case Refused.NoSuchModule: return $"module index {ma.Module} is not in the catalogue";
                }
                var name = cat.Modules[ma.Module].Name;
                return reason switch
                {
                    Refused.Core => $"'{name}' is a core module that every interpreter creates itself; the model does not import, delete or clear it",
                    Refused.NoClearExtension => $"{Name} has no _testinternalcapi.clear_extension (new in 3.12)",
                    Refused.NotInSysModules => $"'{name}' is not in sys.modules of interpreter {ma.I}: import it first",
                    _ => $"'{name}' has no 'obj' attribute in this catalogue",
                };
            default:
                return $"unknown action {action}";
        }
    }

    /// <summary>
    /// Refusal texts already built for one catalogue and slot count, by (reason, interpreter, module). Entries are
    /// filled on first use; a race between threads builds the same text twice, which is harmless.
    /// </summary>
    private sealed class MessageCache(Catalogue catalogue, int slots)
    {
        private static readonly int Reasons = Enum.GetValues<Refused>().Length;
        public readonly Catalogue Catalogue = catalogue;
        public readonly int Slots = slots;
        private readonly int modules = catalogue.Modules.Count;
        public readonly string?[] Texts = new string?[Reasons * (slots + 1) * (catalogue.Modules.Count + 1)];

        /// <summary>The slot of a text whose interpreter and module are in range (module -1: none); -1 otherwise.</summary>
        public int Index(Refused reason, int interp, int module) =>
            (uint)interp > (uint)Slots || module < -1 || module >= modules
                ? -1
                : ((int)reason * (Slots + 1) + interp) * (modules + 1) + module + 1;
    }

    private volatile MessageCache? messages;

    /// <summary>Every action enabled in <paramref name="s"/>, in a fixed order.</summary>
    public IEnumerable<Action> EnabledActions(State s, Catalogue cat)
    {
        foreach (var a in AllActions(s.Slots, cat))
            if (IsEnabled(s, a, cat)) yield return a;
    }

    /// <summary>The finite action alphabet of a configuration (enabled or not).</summary>
    public static IEnumerable<Action> AllActions(int slots, Catalogue cat)
    {
        for (var i = 1; i <= slots; i++)
        {
            foreach (var k in ActionText.SubinterpreterModes)
                yield return new NewInterp(i, k);
            yield return new EndInterp(i);
        }
        for (var i = 0; i <= slots; i++)
            for (var mod = 0; mod < cat.Modules.Count; mod++)
            {
                if (cat.IsCore(mod)) continue;
                yield return new Import(i, mod);
                yield return new DelSysModules(i, mod);
                yield return new Reload(i, mod);
                yield return new ReloadSpec(i, mod);
                yield return new ClearExtension(i, mod);
                yield return new SetAttr(i, mod);
            }
        yield return new Finalization();
    }

    // ---- one transition ----------------------------------------------------------------------------

    /// <summary>
    /// Applies an enabled action. Throws <see cref="ArgumentException"/> if it is not enabled
    /// (callers validate traces with <see cref="WhyDisabled"/> first).
    /// </summary>
    public Transition Apply(State s, Action action, Catalogue cat)
    {
        if (!IsEnabled(s, action, cat)) throw new ArgumentException(WhyDisabled(s, action, cat), nameof(action));
        var events = new List<Event>(16); // the transition's own list
        var after = Run(s, action, cat, events, refCountEvents: true, transient: false, untouchedIsSame: false, out var error, out var crash);
        var outcome = crash is { } c ? Outcome.Crashed(c.Kind, Hazards.Describe(c.Hazard, cat))
            : error is not null ? Outcome.Error(error)
            : Outcome.Ok;
        return new Transition(action, after, events, outcome);
    }

    /// <summary>
    /// <see cref="Apply"/> for a search, which needs only the next state and the events: the same state and the same
    /// events, without the <see cref="Outcome"/> (whose crash text costs more than many steps) and into
    /// <paramref name="events"/>, a list the caller reuses (it is cleared first; it is valid until the caller's next
    /// step). <paramref name="action"/> must be enabled in <paramref name="s"/>: unlike <see cref="Apply"/>, nothing checks it.
    /// With <paramref name="refCountEvents"/> false, increfs and decrefs are left out of the events, and so are the frees
    /// that are no hazard (every other event and every hazardous free stay, so crashes are found as before), for a caller
    /// that reads no event. With
    /// <paramref name="transient"/>, the state is the caller's only until its next step on this thread: its tables may be
    /// arrays the next step reuses (for a search that encodes each successor at once and keeps only the encoding).
    /// An action that changes nothing and emits no event returns <paramref name="s"/> itself (the same object), which
    /// tells a search the step leads back to the state it expands.
    /// </summary>
    public State Successor(State s, Action action, Catalogue cat, List<Event> events, bool refCountEvents = true, bool transient = false)
    {
        events.Clear();
        return Run(s, action, cat, events, refCountEvents, transient, untouchedIsSame: true, out _, out _);
    }

    /// <summary>
    /// One transition, its events into <paramref name="events"/>: the next state, and the ImportError or the crash, if any.
    /// With <paramref name="untouchedIsSame"/>, an action that changed nothing and emitted no event (an import of a module
    /// already in sys.modules; a clear_extension with nothing to clear: about 30% of a search's steps) returns
    /// <paramref name="s"/> itself without running the collectors or building a state. The collectors would change
    /// nothing: the step that made <paramref name="s"/> ended with them, and a pass leaves no garbage a second pass finds
    /// (the walk from the roots is the same for every collector of a pass). A test checks it against <see cref="Apply"/>.
    /// </summary>
    private State Run(State s, Action action, Catalogue cat, List<Event> events, bool refCountEvents, bool transient,
        bool untouchedIsSame, out string? error, out (Hazard Hazard, CrashKind Kind)? crash)
    {
        var m = Machine.Rent(cat, s, events, refCountEvents, transient);
        error = null;
        try
        {
            Run(m, action);
        }
        catch (PythonImportError e)
        {
            error = e.Message;
        }
        if (untouchedIsSame && error is null && m.Untouched())
        {
            m.Return();
            crash = null;
            return s;
        }
        m.ActAs(Interp.Main);
        if (m.Phase == ProcessPhase.Running) m.CollectAllLive();

        crash = FirstCrash(s, events);
        if (crash is { } c)
        {
            // The process dies at the crashing event: nothing after it happens, and nothing of the
            // half-done step can be observed. The state records the crash and keeps what was before.
            events.RemoveRange(c.Hazard.EventIndex + 1, events.Count - c.Hazard.EventIndex - 1);
            m.Return();
            return s.WithPhase(ProcessPhase.Crashed);
        }
        var after = m.Phase == ProcessPhase.Running ? m.FreezeAfterCollect() : m.Freeze();
        m.Return();
        return after;
    }

    /// <summary>The first hazard among the events that crashes this version (<see cref="Hazards.InEvents"/>, in order).</summary>
    private (Hazard Hazard, CrashKind Kind)? FirstCrash(State before, List<Event> events)
    {
        var ended = new Hazards.EndedInterps(before);
        for (var k = 0; k < events.Count; k++)
            if (Hazards.At(events, k, ref ended) is { } kind && CrashFor(kind) is { } crash)
                return (Hazards.Make(kind, k, (RefEvent)events[k]), crash);
        return null;
    }

    private void Run(Machine m, Action action)
    {
        switch (action)
        {
            case NewInterp n:
                m.SetInterp(n.I, InterpStatus.Alive, n.Mode);
                m.Emit(new InterpLifecycle(n.I, InterpStatus.Alive, n.Mode));
                m.ActAs(n.I);
                CreateCoreModules(m, n.I);
                break;
            case EndInterp e:
                EndInterpreter(m, e.I);
                break;
            case Import i:
                m.ActAs(i.I);
                // A plain import of a name already in sys.modules never reaches the C machinery.
                if (m.SysModule(i.I, i.Module).IsNone) Load(m, i.I, i.Module);
                break;
            case ReloadSpec r:
                m.ActAs(r.I);
                Load(m, r.I, r.Module);
                break;
            case DelSysModules d:
                m.ActAs(d.I);
                m.SetSysModule(d.I, d.Module, ObjId.None);
                break;
            case Reload:
                // T4: importlib.reload only calls exec_module, and exec_dynamic/exec_builtin skip every
                // extension module: copy modules have no md_def, single-phase defs have no slots, and
                // PyModule_ExecDef leaves a state pointer on each multi-phase module as a "do not exec
                // again" marker, even with m_size 0. Checked: reloading _testmultiphase changes no
                // attribute on 3.10.13, 3.11.7, 3.12.1 and 3.13.0. A no-op for every module kind.
                break;
            case SetAttr a:
                m.ActAs(a.I);
                m.SetAttr(m[m.SysModule(a.I, a.Module)].Dict, Attr.Obj, ObjId.Constant);
                break;
            case ClearExtension c:
                m.ActAs(c.I);
                ClearCachedExtension(m, c.I, c.Module);
                break;
            case Finalization:
                FinalizeProcess(m);
                break;
        }
    }

    // ---- importlib --------------------------------------------------------------------------------

    /// <summary>
    /// <c>_load_unlocked(spec)</c>: <c>create_module</c>, <c>sys.modules[name] = module</c>, <c>exec_module</c>
    /// (a no-op for single-phase modules); on an exec error the name is removed again.
    /// </summary>
    private void Load(Machine m, int interp, int module)
    {
        var def = m.Catalogue.DefOf(module);
        var mod = def.IsMultiPhase ? CreateMultiPhase(m, interp, module) : CreateSinglePhase(m, interp, module);
        m.SetSysModule(interp, module, mod);
        if (def.IsMultiPhase)
        {
            try
            {
                ExecMultiPhase(m, mod, module);
            }
            catch (PythonImportError)
            {
                m.SetSysModule(interp, module, ObjId.None);
                m.Decref(mod);
                throw;
            }
        }
        m.Decref(mod);
    }

    /// <summary>
    /// T7: <c>PyInit_*</c> returns the def (which <c>PyModuleDef_Init</c> gives an index), then
    /// <c>PyModule_FromDefAndSpec</c> makes the module in the importing interpreter. Nothing is cached.
    /// </summary>
    private ObjId CreateMultiPhase(Machine m, int interp, int module)
    {
        var defIndex = m.Catalogue.DefIndexOf(module);
        var def = m.Catalogue.Defs[defIndex];
        if (InitsRunUnderMain) m.SwitchTo(Interp.Main);
        m.AssignIndexIfUnset(defIndex);
        m.Emit(new InitRan(InitKind.MultiPhaseInit, defIndex, module, m.Current, 0));
        m.SwitchTo(interp);
        // 3.12+: a def without the per-interpreter-GIL slot is refused in an own-GIL interpreter that checks.
        if (!def.PerInterpreterGil && m.OwnGil(interp) && m.CheckOn(interp))
            throw Refuse(m, module);
        return m.NewModule(defIndex, module);
    }

    /// <summary>The exec slots: the HOWTO opt-out refuses a second exec anywhere in the process.</summary>
    private static void ExecMultiPhase(Machine m, ObjId mod, int module)
    {
        var def = m.Catalogue.DefOf(module);
        if (def.Style == InitStyle.OptOut)
        {
            var g = m.Globals(def.Globals);
            if (g.Loaded) throw Raise(m, module, "cannot load module more than once per process");
            m.SetGlobals(def.Globals, g with { Loaded = true });
        }
        m.FillValues(mod, InitKind.Exec);
    }

    // ---- teardown and finalization ------------------------------------------------------------------

    /// <summary>T11, <c>Py_EndInterpreter</c>: <c>finalize_modules</c> then the interpreter state is cleared.</summary>
    private void EndInterpreter(Machine m, int interp)
    {
        m.ActAs(interp);
        FinalizeModules(m, interp);
        m.SetSysDictCopy(interp, ObjId.None, builtins: false);
        m.SetSysDictCopy(interp, ObjId.None, builtins: true);
        m.Collect(interp);
        if (LeaksSurvivorsAtTeardown) m.LeakSurvivors(interp);
        m.SetInterp(interp, InterpStatus.Ended, m.KindOf(interp));
        m.Emit(new InterpLifecycle(interp, InterpStatus.Ended, m.KindOf(interp)));
        m.ActAs(Interp.Main);
    }

    /// <summary>
    /// <c>finalize_modules</c>: empty <c>sys.modules</c>, collect, clear the dicts of modules still alive,
    /// then <c>_PyImport_ClearModulesByIndex</c>, then collect again.
    /// </summary>
    private void FinalizeModules(Machine m, int interp)
    {
        var weak = new List<ObjId>();
        for (var mod = 0; mod < m.Catalogue.Modules.Count; mod++)
        {
            var x = m.SysModule(interp, mod);
            if (x.IsNone) continue;
            weak.Add(x);
            m.SetSysModule(interp, mod, ObjId.None);
        }
        m.Collect(interp);
        foreach (var x in weak)
            if (!m.IsFreed(x)) m.ClearDict(m[x].Dict);
        ClearModulesByIndex(m, interp);
        DropOwnTables(m, interp);
        m.Collect(interp);
    }

    /// <summary>
    /// After <c>_PyImport_ClearModulesByIndex</c>: what goes of the interpreter's own import tables. Nothing in CPython;
    /// fix strategies that keep <c>m_copy</c> per interpreter drop the interpreter's copies here, in it.
    /// </summary>
    protected virtual void DropOwnTables(Machine m, int interp) { }

    /// <summary>
    /// <c>_PyImport_ClearModulesByIndex</c>: for each module in this interpreter's modules-by-index that has
    /// <c>md_def</c>, drop <c>md_def.m_copy</c>, whoever made it; then empty the list. Same in every version.
    /// </summary>
    private static void ClearModulesByIndex(Machine m, int interp)
    {
        foreach (var x in m.ModulesByIndex(interp).ToArray())
            if (x.IsObject && !m.IsFreed(x) && m[x].Def >= 0) m.ClearMCopy(m[x].Def);
        m.ClearMbi(interp);
    }

    /// <summary>
    /// T12, <c>Py_Finalize</c>: remaining subinterpreters end (their atexit hooks run: checked on 3.10-3.13), newest
    /// first, then main, then the runtime; 3.13 ends them only after main's <c>finalize_modules</c>
    /// (<see cref="EndsSubinterpretersAfterMainModules"/>). Newest first is 3.13's <c>finalize_subinterpreters</c>, which walks the
    /// interpreter list from its head (checked: three interpreters end C, B, A on 3.13.0); on 3.12.1 the order
    /// follows when <c>_xxsubinterpreters</c>' id objects die (seen: B, A, C), which no trace can express [inf].
    /// Main's last collection comes after the runtime's import state is gone: <c>_Py_Finalize</c> calls
    /// <c>_PyImport_Fini</c> before <c>finalize_interp_clear</c>, whose <c>interpreter_clear</c> drops the core dict
    /// copies and then runs the "last garbage collection on this interpreter". It matters in 3.13, where dropping the
    /// records is what makes the init-created module (with the values its functions' <c>__self__</c> keeps) garbage.
    /// Checked on 3.13.0 with a probe whose <c>m_free</c> reports: after main's del + re-import, the init-created
    /// module is freed at exit (on 3.10.13-3.12.1 it is not: its <c>m_copy</c> is never dropped).
    /// </summary>
    private void FinalizeProcess(Machine m)
    {
        if (!EndsSubinterpretersAfterMainModules) EndRemaining(m);
        m.ActAs(Interp.Main);
        FinalizeModules(m, Interp.Main);
        if (EndsSubinterpretersAfterMainModules) EndRemaining(m);
        FinalizeRuntime(m);
        m.SetSysDictCopy(Interp.Main, ObjId.None, builtins: false);
        m.SetSysDictCopy(Interp.Main, ObjId.None, builtins: true);
        m.Collect(Interp.Main);
        m.SetInterp(Interp.Main, InterpStatus.Ended, InterpKind.Main);
        m.Emit(new InterpLifecycle(Interp.Main, InterpStatus.Ended, InterpKind.Main));
        m.Phase = ProcessPhase.Finalized;
    }

    /// <summary>Ends the subinterpreters still alive, newest first; main is current again afterwards.</summary>
    private void EndRemaining(Machine m)
    {
        foreach (var i in m.InterpsByBirth().Reverse().ToList())
            if (i != Interp.Main && m.IsAlive(i)) EndInterpreter(m, i);
        m.ActAs(Interp.Main);
    }

    /// <summary>
    /// Whether <c>Py_Finalize</c> ends the remaining subinterpreters only after main's <c>finalize_modules</c> (3.13:
    /// <c>_PyImport_FiniExternal</c>, <c>finalize_modules</c>, then <c>finalize_subinterpreters</c>; before 3.13 they are
    /// ended first, the order the conformance driver realises).
    /// </summary>
    protected virtual bool EndsSubinterpretersAfterMainModules => false;

    // ---- shared C helpers for the versions ---------------------------------------------------------

    /// <summary>Raises <c>ImportError(message)</c> from the current step.</summary>
    protected static PythonImportError Raise(Machine m, int module, string message)
    {
        m.Emit(new ImportFailed(module, message));
        return new PythonImportError(message);
    }

    /// <summary><c>_PyImport_CheckSubinterpIncompatibleExtensionAllowed</c>'s refusal.</summary>
    protected static PythonImportError Refuse(Machine m, int module) =>
        Raise(m, module, $"module {m.Catalogue.Modules[module].Name} does not support loading in subinterpreters");

    /// <summary>
    /// The <c>m_size == -1</c> cache hit: <c>import_add_module</c> (the module already in <c>sys.modules</c>,
    /// else a new copy module), then a shallow <c>PyDict_Update</c> from <paramref name="source"/>, then
    /// modules-by-index. No init runs. <paramref name="index"/>: the modules-by-index slot (default the def's
    /// <c>m_index</c>; 3.13 passes the cache record's).
    /// </summary>
    protected static ObjId CopyFromCache(Machine m, int interp, int module, ObjId source, int? index = null)
    {
        var mod = m.AddModule(module);
        m.DictUpdate(m[mod].Dict, source);
        m.SetMbi(interp, index ?? m.Def(m.Catalogue.DefIndexOf(module)).MIndex, mod);
        return mod;
    }

    /// <summary>The <c>m_size &gt;= 0</c> cache hit: <c>def.m_init()</c> runs again in the current interpreter.</summary>
    protected static ObjId ReinitFromCache(Machine m, int interp, int module, int? index = null)
    {
        var mod = m.RunInit(module, InitKind.Reinit);
        m.SetSysModule(interp, module, mod);
        m.SetMbi(interp, index ?? m.Def(m.Catalogue.DefIndexOf(module)).MIndex, mod);
        return mod;
    }

    /// <summary><c>_PyImport_Fini</c> where the cache's values hold no object: every key goes.</summary>
    protected static void DropCacheKeys(Machine m)
    {
        for (var k = 0; k < m.Catalogue.Modules.Count; k++)
            if (m.Cache(k).Present) m.SetCache(k, CacheEntry.Absent);
    }

    /// <summary>An interpreter's own <c>sys</c>/<c>builtins</c> module, made by the interpreter itself (new reference).</summary>
    protected static ObjId BuildCoreModule(Machine m, int module) => m.RunInit(module, InitKind.CoreCreate);

    /// <summary>
    /// T9 as 3.13 does it: <c>_PyImport_FixupBuiltin</c> caches a CORE record without a dict (once), then modules-by-index,
    /// <c>sys.modules</c> and the interpreter's own dict copy. No <c>m_copy</c> is ever made for <c>sys</c>/<c>builtins</c>.
    /// </summary>
    protected static void CreateCoreModulesWithCoreRecords(Machine m, int interp)
    {
        foreach (var core in m.Catalogue.CoreModules)
        {
            var mod = BuildCoreModule(m, core);
            var d = m.Catalogue.DefIndexOf(core);
            if (!m.Cache(core).Present)
                m.SetCache(core, new CacheEntry(true, m.Def(d).MIndex, false, ObjId.None, -1));
            m.SetMbi(interp, m.Def(d).MIndex, mod);
            m.SetSysModule(interp, core, mod);
            KeepCoreDictCopy(m, interp, core, mod);
            m.Decref(mod);
        }
    }

    /// <summary>3.12+: <c>sysdict_copy</c> / <c>builtins_copy</c>, the per-interpreter source for re-loading core modules.</summary>
    protected static void KeepCoreDictCopy(Machine m, int interp, int module, ObjId mod) =>
        m.SetSysDictCopy(interp, m.CopyDict(m[mod].Dict), builtins: m.Catalogue.Modules[module].Name == "builtins");

    public override string ToString() => Name;
}

/// <summary>An <c>ImportError</c> raised in Python by the step; carries its message.</summary>
public sealed class PythonImportError(string message) : Exception(message);

/// <summary>What one step did: the action, the state after it, its events in order, and what Python saw.</summary>
public sealed record Transition(Action Action, State State, IReadOnlyList<Event> Events, Outcome Outcome);
