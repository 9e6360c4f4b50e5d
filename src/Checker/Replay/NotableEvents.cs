using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>
/// Which events the human report shows. What matters for the bugs is who drops whose objects, so a
/// decref is shown when the actor is not the owner, and every free; increfs and own decrefs are noise
/// unless asked for (<c>--verbose-events</c>).
/// </summary>
internal static class NotableEvents
{
    public static bool IsNotable(Event e, bool verbose) => verbose || e switch
    {
        RefEvent { Op: RefOp.Free } => true,
        RefEvent { Op: RefOp.Decref } r => r.IsForeign,
        RefEvent => false,
        InitRan or Switched or MCopyChanged or CacheChanged or ImportFailed => true,
        _ => false,
    };

    /// <summary>A decref or free of a main-owned object while a subinterpreter was current (the D1-D4 signature).</summary>
    public static bool IsSubinterpreterDropOfMain(Event e) =>
        e is RefEvent { Op: RefOp.Decref or RefOp.Free } r && r.Object.Owner == Interp.Main && r.Actor != Interp.Main;
}
