namespace Verify.Model;

/// <summary>How a <c>PyModuleDef</c> initialises its module.</summary>
public enum InitStyle : byte
{
    /// <summary>Legacy single-phase init: <c>PyInit_*</c> returns the module.</summary>
    SinglePhase,
    /// <summary>PEP 489 multi-phase init: <c>PyInit_*</c> returns the def; exec slots fill the module.</summary>
    MultiPhase,
    /// <summary>Multi-phase with the HOWTO's static "loaded" flag: a second exec anywhere in the process fails.</summary>
    OptOut,
    /// <summary><c>sys</c> and <c>builtins</c>: built by every interpreter itself, then fixed up like builtins.</summary>
    Core,
}

/// <summary>
/// A static <c>PyModuleDef</c> of the process. Several requested names may share one def (the rename case),
/// and several defs may share one group of C globals (<c>_testsinglephase_basic_copy</c>).
/// </summary>
/// <param name="Name">the def's own name (also the <c>__name__</c> its init gives the module)</param>
/// <param name="MSize">-1: no per-module state, needs <c>m_copy</c>; 0 or more: re-initialisable</param>
/// <param name="Globals">index of the C-globals group in <see cref="Catalogue.Globals"/></param>
/// <param name="PerInterpreterGil">multi-phase only: declares <c>Py_MOD_PER_INTERPRETER_GIL_SUPPORTED</c></param>
/// <param name="Values">the mortal values its init (or exec) puts in the module dict</param>
public sealed record DefSpec(
    string Name,
    InitStyle Style,
    int MSize,
    int Globals,
    bool PerInterpreterGil,
    ValueSet Values)
{
    public bool IsSinglePhase => Style is InitStyle.SinglePhase or InitStyle.Core;
    public bool IsMultiPhase => Style is InitStyle.MultiPhase or InitStyle.OptOut;
    /// <summary><c>m_size == -1</c> single-phase: the only kind that uses <c>m_copy</c>.</summary>
    public bool UsesMCopy => IsSinglePhase && MSize == -1;
}

/// <summary>Which mortal values a module dict holds; each is created by the init that made the module.</summary>
[Flags]
public enum ValueSet : byte
{
    None = 0,
    /// <summary>a list (the probe's <c>obj</c>): a plain mortal, GC-tracked value</summary>
    List = 1,
    /// <summary>a heap exception type (<c>_testsinglephase.error</c>)</summary>
    Type = 2,
    /// <summary>a builtin function whose <c>__self__</c> is the init-created module (<c>sum</c>, <c>look_up_self</c>)</summary>
    Func = 4,
    All = List | Type | Func,
}
