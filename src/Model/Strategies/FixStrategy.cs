namespace Verify.Model;

/// <summary>
/// What every fix strategy shares: it is a proposal for the runtime as of 3.13 (docs/strategies.md), so the parts no
/// strategy is about are 3.13's. <c>sys</c>/<c>builtins</c> get CORE records and per-interpreter dict copies (no
/// <c>m_copy</c>), <c>Py_Finalize</c> runs main's <c>finalize_modules</c> before ending the remaining subinterpreters, a
/// free under another obmalloc aborts, and a dead owner's objects are untracked at its teardown (gh-116510 fixed), so
/// freeing them later does not crash. One choice every strategy makes alike: the isolation check refuses a single-phase
/// module in a checked interpreter BEFORE its init runs (gh-117953's other half), since a refused import must not leave
/// the init's side effects behind.
/// </summary>
public abstract class FixStrategy : Semantics
{
    public override bool IsFixStrategy => true;

    /// <summary>The section of docs/strategies.md that gives this strategy's rationale and choices.</summary>
    public abstract string Rationale { get; }

    public override CrashKind? CrashFor(HazardKind hazard) =>
        hazard == HazardKind.ForeignAllocatorFree ? CrashKind.Abort : null;

    protected override bool EndsSubinterpretersAfterMainModules => true;

    protected override void CreateCoreModules(Machine m, int interp) => CreateCoreModulesWithCoreRecords(m, interp);

    /// <summary>The isolation check, before anything runs: a checked interpreter refuses every single-phase module.</summary>
    protected static void CheckBeforeInit(Machine m, int interp, int module)
    {
        if (m.CheckOn(interp)) throw Refuse(m, module);
    }
}
