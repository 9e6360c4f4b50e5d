using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;
using Action = Verify.Model.Action;

namespace Verify.Tests.Properties;

/// <summary>
/// init-once-per-process against the semantics document: "CGLOBALS[ext]: the extension's own C statics (for example an
/// init counter). CPython never resets them", so a second init of an m_size == -1 module initialises them again.
/// </summary>
public class InitOncePerProcessTests
{
    private static readonly Property P = IsolationProperties.InitOncePerProcess;

    private static InitRan AssertInit(Hit hit, string def, int interp, int serial)
    {
        var e = Assert.IsType<InitRan>(hit.Event);
        Assert.Equal(InitKind.Init, e.Kind);
        Assert.Equal(D(def), e.Def);
        Assert.Equal(interp, e.Interp);
        Assert.Equal(serial, e.Serial);
        return e;
    }

    // T5b: "a module whose init copies the def under another name (_basic_copy): a different def that shares C globals";
    // "independent m_index and m_copy; only the C globals are shared". Both inits run (each def misses the cache), the
    // second on already initialised globals. 3.13 runs it under main (T1 3.13), which does not change the count.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T5b_BasicCopyInitialisesTheSharedGlobalsASecondTime(string v) =>
        AssertInit(AssertFirstAt(P, 2, v, Imp(0, X), Imp(0, Copy)), Copy, interp: 0, serial: 2);

    // O5: "the count after a rename-import (_basic_wrapper) in a subinterpreter: 2 (probe, init in the subinterpreter) |
    // 2, init in the subinterpreter | 2, init in main".
    [Theory]
    [InlineData(V310, 1)]
    [InlineData(V311, 1)]
    [InlineData(V312, 1)]
    [InlineData(V313, 0)]
    public void O5_TheRenameImportRunsTheInitASecondTime(string v, int initInterp)
    {
        var hit = AssertFirstAt(P, 4, v, Imp(0, X), New(1), Imp(1, X), Imp(1, Alias));
        var e = AssertInit(hit, X, initInterp, serial: 2);
        Assert.Equal(M(Alias), e.Module);
    }

    // O8 / §5 recipe: after the subinterpreter that ran the init is destroyed, "main's re-import: does the init run again
    // (init_serial / initialized_count + 1)? yes | yes | no"; "(True, 2) on 3.12.1 and (False, 1) on 3.13.0". T2: "If
    // m_copy is NULL ... the init runs again".
    [Theory]
    [InlineData(V310, true)]
    [InlineData(V311, true)]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O8_MainsImportAfterTheInitRunnerEndedRunsTheInitAgainUntil313(string v, bool found)
    {
        Action[] trace = [New(1), Imp(1, X), End(1), Imp(0, X)];
        if (found) AssertInit(AssertFirstAt(P, 4, v, trace), X, interp: 0, serial: 2);
        else AssertHolds(P, v, trace);
    }

    // O8's own sequence (exp2): A first, main and B copy, A destroyed, main deletes and re-imports.
    [Theory]
    [InlineData(V311, true)]
    [InlineData(V313, false)]
    public void O8_TheExp2SequenceReinitsAtMainsReimport(string v, bool found)
    {
        Action[] trace = [New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1), Del(0, X), Imp(0, X)];
        if (found) AssertInit(AssertFirstAt(P, 8, v, trace), X, interp: 0, serial: 2);
        else AssertHolds(P, v, trace);
    }

    // O17: "isolated interpreter, module not cached: ... 3.12.1: ImportError; init ran in the isolated interpreter; not
    // cached (main re-runs the init) | 3.13.0: ImportError; init ran in main; cached (main's import is a copy)".
    [Theory]
    [InlineData(V312, true)]
    [InlineData(V313, false)]
    public void O17_MainsImportAfterARefusedIsolatedImport(string v, bool found)
    {
        Action[] trace = [New(1, InterpKind.Isolated), Imp(1, X), Imp(0, X)];
        if (found) AssertInit(AssertFirstAt(P, 3, v, trace), X, interp: 0, serial: 2);
        else AssertHolds(P, v, trace);
    }

    // T2: "del sys.modules[name] followed by import name again" is a cache hit: "No init runs and m_copy does not change";
    // O4: a subinterpreter import after main leaves initialized_count at 1; T4 reload and T4b spec re-load: "the init does
    // not run".
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void CacheHitsNeverRunTheInit(string v) =>
        AssertHolds(P, v, Imp(0, X), Del(0, X), Imp(0, X), New(1), Imp(1, X), Rel(1, X), RelSpec(1, X), Del(1, X), Imp(1, X));

    // The property is about m_size == -1 modules only. T6: an m_size >= 0 module's init runs "in the importing interpreter
    // each time" (a Reinit for every later import), and T7: a multi-phase module's PyInit_* and exec run on every import.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void ReinitialisableAndMultiPhaseModulesAreNotItsConcern(string v) =>
        AssertHolds(P, v, Imp(0, Reinit), New(1), Imp(1, Reinit), Del(0, Reinit), Imp(0, Reinit), Imp(1, WithState),
            Imp(0, WithState), Imp(0, Multi), Imp(1, Multi));
}
