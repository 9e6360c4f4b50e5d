using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>One readable line per event for the human report.</summary>
internal static class EventText
{
    public static string Describe(Event e, Catalogue cat) => e switch
    {
        RefEvent r => $"{(r.IsForeign ? "FOREIGN " : "")}{Op(r.Op)} by {Interp.Name(r.Actor)} of {Objects.Describe(r.Object, cat)}" +
                      (r.Object.Domain != r.ActorDomain ? $" (allocated by {Interp.Name(r.Object.Domain)}'s obmalloc, {Interp.Name(r.Actor)} uses {Interp.Name(r.ActorDomain)}'s)" : "") +
                      $" [{r.Id}]",
        InitRan i => $"{Kind(i.Kind)} of {cat.Defs[i.Def].Name} (for {cat.Modules[i.Module].Name}) ran in {Interp.Name(i.Interp)}" +
                     (i.Serial > 0 ? $", init #{i.Serial}" : ""),
        Switched s => $"switched from {Interp.Name(s.From)} to {Interp.Name(s.To)}",
        MCopyChanged m => $"{Own(m.Holder)}m_copy of {cat.Defs[m.Def].Name}: {m.Old} -> {m.New} (by {Interp.Name(m.Actor)})",
        CacheChanged c => $"{Own(c.Holder)}cache {(c.Added ? "+" : "-")} {cat.Modules[c.Module].Key} (by {Interp.Name(c.Actor)})",
        ImportFailed f => $"ImportError for {cat.Modules[f.Module].Name}: {f.Message}",
        IndexAssigned x => $"m_index of {cat.Defs[x.Def].Name} = {x.Index}",
        Collected c => $"{Interp.Name(c.Interp)}'s GC collected {c.Objects} object(s)",
        InterpLifecycle l => $"{Interp.Name(l.Interp)} ({ActionText.Mode(l.Kind)}) is {l.Status.ToString().ToLowerInvariant()}",
        _ => e.ToString(),
    };

    /// <summary>"sub1's own " for a fix strategy's per-interpreter table, nothing for the process-wide one.</summary>
    private static string Own(int holder) => holder < 0 ? "" : $"{Interp.Name(holder)}'s own ";

    public static string Op(RefOp op) => op switch { RefOp.Incref => "incref", RefOp.Decref => "decref", _ => "free" };

    public static string Kind(InitKind k) => k switch
    {
        InitKind.Init => "init",
        InitKind.Reinit => "reinit",
        InitKind.MultiPhaseInit => "multi_phase_init",
        InitKind.Exec => "exec",
        _ => "core_create",
    };
}
