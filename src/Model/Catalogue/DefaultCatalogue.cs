namespace Verify.Model;

/// <summary>
/// The built-in catalogue: the variants of CPython's own <c>_testsinglephase</c> (3.12+), plus the kinds
/// the semantics document distinguishes and <c>_testsinglephase</c> lacks (multi-phase, the HOWTO's
/// opt-out, a single-phase builtin). The conformance probe provides the modules CPython does not ship.
/// </summary>
public static class DefaultCatalogue
{
    public const string TestSinglePhase = "_testsinglephase";
    public const string BasicWrapper = "_testsinglephase_basic_wrapper";
    public const string BasicCopy = "_testsinglephase_basic_copy";
    public const string WithReinit = "_testsinglephase_with_reinit";
    public const string WithState = "_testsinglephase_with_state";
    public const string MultiPhase = "_testmultiphase";
    public const string OptOut = "_testoptout";
    public const string Builtin = "_testbuiltin";

    public static Catalogue Create()
    {
        const string so = "_testsinglephase.so";
        string[] globals = ["_testsinglephase", "_with_reinit", "_with_state", "_testmultiphase", "_testoptout", "_testbuiltin", "sys", "builtins"];
        DefSpec[] defs =
        [
            // _testsinglephase.c: the basic def (m_size -1); _basic_copy has its own def but the same global_state.
            new("_testsinglephase", InitStyle.SinglePhase, -1, 0, false, ValueSet.All),
            new("_testsinglephase_basic_copy", InitStyle.SinglePhase, -1, 0, false, ValueSet.All),
            new("_testsinglephase_with_reinit", InitStyle.SinglePhase, 0, 1, false, ValueSet.All),
            new("_testsinglephase_with_state", InitStyle.SinglePhase, 42, 2, false, ValueSet.All),
            new("_testmultiphase", InitStyle.MultiPhase, 0, 3, true, ValueSet.All),
            new("_testoptout", InitStyle.OptOut, 0, 4, true, ValueSet.All),
            new("_testbuiltin", InitStyle.SinglePhase, -1, 5, false, ValueSet.All),
            // The core modules' dicts hold functions bound to the module (sys.exit.__self__ is sys).
            new("sys", InitStyle.Core, -1, 6, false, ValueSet.Func),
            new("builtins", InitStyle.Core, -1, 7, false, ValueSet.Func),
        ];
        ModuleSpec[] modules =
        [
            new(TestSinglePhase, 0, Origin.Dynamic, so),
            // PyInit__testsinglephase_basic_wrapper calls PyInit__testsinglephase: same def, another name (T5).
            new(BasicWrapper, 0, Origin.Dynamic, so),
            new(BasicCopy, 1, Origin.Dynamic, so),
            new(WithReinit, 2, Origin.Dynamic, so),
            new(WithState, 3, Origin.Dynamic, so),
            new(MultiPhase, 4, Origin.Dynamic, "_testmultiphase.so"),
            new(OptOut, 5, Origin.Dynamic, "_testoptout.so"),
            new(Builtin, 6, Origin.Builtin, null),
            new("sys", 7, Origin.Core, null),
            new("builtins", 8, Origin.Core, null),
        ];
        return new Catalogue(defs, modules, globals);
    }
}
