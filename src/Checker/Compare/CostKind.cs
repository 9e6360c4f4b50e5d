namespace Verify.Checker.Compare;

/// <summary>
/// A behaviour change of a fix strategy against the baseline release on the same trace: the compatibility price a user
/// of the strategy pays (or, for the last three, a difference in the other direction). Each is judged step by step.
/// </summary>
public enum CostKind
{
    /// <summary>the step runs a single-phase init (or <c>m_init</c>) of a module whose C globals were already initialised, more
    /// often than the baseline's step does</summary>
    InitRunsAgain,
    /// <summary>after the step, a module's C globals have been initialised more often than under the baseline (and more than once)</summary>
    CGlobalsReinitialised,
    /// <summary>the step raises ImportError where the baseline imports</summary>
    Unimportable,
    /// <summary>Python can tell the difference otherwise: which module object an import returns, whether two interpreters share
    /// a module, its dict or its values, whether <c>func.__self__</c> is the module, what <c>PyState_FindModule</c> returns</summary>
    VisibleChange,
    /// <summary>the baseline's step runs an init again (C globals already initialised) and the strategy's does not (a rename or
    /// a cleared cache copies instead)</summary>
    InitAvoided,
    /// <summary>the step imports where the baseline raises ImportError</summary>
    Importable,
    /// <summary>the baseline crashes at this step and the strategy does not</summary>
    CrashAvoided,
    /// <summary>the strategy crashes at this step and the baseline does not</summary>
    NewCrash,
}

public static class CostKinds
{
    public static IReadOnlyList<CostKind> All { get; } = Enum.GetValues<CostKind>();

    /// <summary>The kinds that are a price (the first four), as opposed to differences that favour the strategy.</summary>
    public static bool IsPrice(CostKind k) => k is CostKind.InitRunsAgain or CostKind.CGlobalsReinitialised or CostKind.Unimportable
        or CostKind.VisibleChange or CostKind.NewCrash;

    /// <summary>The snake_case name JSON and the reports use.</summary>
    public static string Name(CostKind k) => k switch
    {
        CostKind.InitRunsAgain => "init_runs_again",
        CostKind.CGlobalsReinitialised => "c_globals_reinitialised",
        CostKind.Unimportable => "unimportable",
        CostKind.VisibleChange => "visible_change",
        CostKind.InitAvoided => "init_avoided",
        CostKind.Importable => "importable",
        CostKind.CrashAvoided => "crash_avoided",
        _ => "new_crash",
    };

    /// <summary>A short column title.</summary>
    public static string Title(CostKind k) => k switch
    {
        CostKind.InitRunsAgain => "init runs again",
        CostKind.CGlobalsReinitialised => "C globals re-initialised",
        CostKind.Unimportable => "unimportable",
        CostKind.VisibleChange => "other visible change",
        CostKind.InitAvoided => "init again avoided",
        CostKind.Importable => "newly importable",
        CostKind.CrashAvoided => "crash avoided",
        _ => "new crash",
    };
}
