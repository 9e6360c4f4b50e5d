namespace Verify.Model;

/// <summary>
/// What a Python program (with the probe's C helpers) can read after a step. This is the stable shape
/// that <c>verify replay --json</c> prints and the conformance driver reproduces on real CPython; names
/// are snake_case in JSON. Object identities are compared only within one observation.
/// </summary>
public sealed record Observation(
    string Outcome,
    string? Message,
    string? Signal,
    IReadOnlyList<InterpObservation> Interpreters,
    IReadOnlyList<ModuleObservation> Modules,
    IReadOnlyList<SharingObservation> Sharing,
    IReadOnlyList<DefObservation> Defs,
    IReadOnlyList<string> Cached);

public sealed record InterpObservation(int I, string Status, string Mode);

/// <summary>A module as interpreter <see cref="I"/> sees it in <c>sys.modules</c>.</summary>
/// <param name="InitCreated"><c>func.__self__ is module</c>: the init made this very module object</param>
/// <param name="InitInterp">the interpreter that ran the init of the values it holds (null if it holds none)</param>
/// <param name="InitSerial">the C-globals init count when those values were made</param>
/// <param name="InitializedCount"><c>initialized_count()</c>: the module's C-globals init counter</param>
/// <param name="LookUpSelfIsModule"><c>look_up_self() is sys.modules[name]</c> (<c>PyState_FindModule</c> in I)</param>
/// <param name="ObjRebound">the <c>obj</c> attribute holds the constant a <c>set_attr</c> step bound</param>
public sealed record ModuleObservation(
    int I, string Mod, bool InitCreated, int? InitInterp, int? InitSerial, int InitializedCount,
    bool LookUpSelfIsModule, bool ObjRebound);

/// <summary>Whether interpreters <see cref="I"/> and <see cref="J"/> share the module object, its dict, its mortal values.</summary>
public sealed record SharingObservation(string Mod, int I, int J, bool Module, bool Dict, bool Values);

/// <summary>The probe's <c>info()</c>: a def's <c>m_base</c> read from C.</summary>
public sealed record DefObservation(string Def, int MIndex, bool MInit, bool MCopySet, int? MCopyRefcount, int? MCopyOwner);

public static class Observer
{
    public static Observation Observe(State s, Outcome outcome, Catalogue cat)
    {
        var interps = new List<InterpObservation>();
        for (var i = 0; i < s.Interps.Count; i++)
        {
            var st = s.Interps[i];
            if (st.Status == InterpStatus.NotCreated) continue;
            interps.Add(new InterpObservation(i, st.Status == InterpStatus.Alive ? "alive" : "ended", ActionText.Mode(st.Kind)));
        }

        var modules = new List<ModuleObservation>();
        var sharing = new List<SharingObservation>();
        var running = s.Phase == ProcessPhase.Running;
        for (var mod = 0; mod < cat.Modules.Count; mod++)
        {
            if (cat.IsCore(mod) || !running) continue;
            var holders = new List<int>();
            for (var i = 0; i < s.Interps.Count; i++)
            {
                if (!s.IsAlive(i)) continue;
                var id = s.Interps[i].SysModule(mod);
                if (!id.IsObject) continue;
                holders.Add(i);
                modules.Add(ObserveModule(s, cat, i, mod, id));
            }
            for (var a = 0; a < holders.Count; a++)
                for (var b = a + 1; b < holders.Count; b++)
                    sharing.Add(Share(s, cat.Modules[mod].Name, holders[a], holders[b], mod));
        }

        var defs = new List<DefObservation>();
        for (var d = 0; d < cat.Defs.Count && running; d++)
        {
            if (cat.Defs[d].Style == InitStyle.Core && !s.Defs[d].MCopy.IsObject && s.Defs[d].MIndex == 0) continue;
            var ds = s.Defs[d];
            var copy = ds.MCopy.IsObject ? s.Obj(ds.MCopy) : (HeapObject?)null;
            defs.Add(new DefObservation(cat.Defs[d].Name, ds.MIndex, ds.MInit, copy is not null, copy?.RefCount, copy?.Owner));
        }

        // Once the process has crashed or finalized, no Python code runs to observe anything.
        var cached = Enumerable.Range(0, running ? cat.Modules.Count : 0).Where(k => s.Cache[k].Present).Select(k => cat.Modules[k].Key).ToList();
        string? signal = outcome.Crash switch { CrashKind.Abort => "SIGABRT", CrashKind.Segfault => "SIGSEGV", _ => null };
        var kind = outcome.Kind switch
        {
            OutcomeKind.Ok => "ok", OutcomeKind.ImportError => "import_error", OutcomeKind.Crash => "crash", _ => "not_run",
        };
        return new Observation(kind, outcome.Message, signal, interps, modules, sharing, defs, cached);
    }

    private static ModuleObservation ObserveModule(State s, Catalogue cat, int interp, int mod, ObjId id)
    {
        var m = s.Obj(id);
        var dict = s.Obj(m.Dict);
        var fn = dict.Fn.IsObject ? s.Obj(dict.Fn) : (HeapObject?)null;
        var initCreated = fn is { } f && f.Self == id;
        var value = new[] { dict.Obj, dict.Error, dict.Fn }.FirstOrDefault(v => v.IsObject, ObjId.None);
        int? initInterp = value.IsObject ? s.Obj(value).Owner : null;
        int? serial = value.IsObject ? s.Obj(value).Serial : null;
        var def = cat.DefOf(mod);
        var count = s.Globals[def.Globals].InitCount;
        return new ModuleObservation(interp, cat.Modules[mod].Name, initCreated, initInterp, serial, count,
            LookUpSelf(s, cat, interp, mod) == id, dict.Obj.IsConstant);
    }

    /// <summary><c>PyState_FindModule(def)</c> in an interpreter: its modules-by-index at the def's index; NULL for multi-phase defs.</summary>
    public static ObjId LookUpSelf(State s, Catalogue cat, int interp, int mod)
    {
        var d = cat.DefIndexOf(mod);
        if (cat.Defs[d].IsMultiPhase) return ObjId.None;
        return s.Interps[interp].Mbi(s.Defs[d].MIndex);
    }

    private static SharingObservation Share(State s, string name, int i, int j, int mod)
    {
        var a = s.Interps[i].SysModule(mod);
        var b = s.Interps[j].SysModule(mod);
        var da = s.Obj(s.Obj(a).Dict);
        var db = s.Obj(s.Obj(b).Dict);
        var va = new[] { da.Obj, da.Error, da.Fn }.Where(v => v.IsObject).ToHashSet();
        var shared = new[] { db.Obj, db.Error, db.Fn }.Any(v => v.IsObject && va.Contains(v));
        return new SharingObservation(name, i, j, a == b, s.Obj(a).Dict == s.Obj(b).Dict, shared);
    }
}
