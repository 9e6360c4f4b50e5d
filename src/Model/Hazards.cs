namespace Verify.Model;

public enum HazardKind : byte
{
    /// <summary>an object freed under an allocator domain other than its own (the abort class: D2, S2 on 3.12)</summary>
    ForeignAllocatorFree,
    /// <summary>an object freed after the interpreter that allocated it ended (the crash-at-exit class: S1 on 3.12.1)</summary>
    DeadOwnerFree,
}

/// <summary>A hazard, at an event of a step (<see cref="EventIndex"/>). An ended owner's object that is merely still
/// reachable is the no-dead-owner property's concern, not a hazard.</summary>
public sealed record Hazard(HazardKind Kind, int EventIndex, ObjId Id, HeapObject Object, int Actor);

/// <summary>
/// Hazards are derived, never declared per scenario: from the frees among a step's events (with which
/// interpreters had ended by then).
/// </summary>
public static class Hazards
{
    public static IEnumerable<Hazard> InEvents(State before, IReadOnlyList<Event> events)
    {
        var ended = new EndedInterps(before);
        for (var k = 0; k < events.Count; k++)
            if (At(events, k, ref ended) is { } kind)
                yield return Make(kind, k, (RefEvent)events[k]);
    }

    /// <summary>
    /// The hazard of event <paramref name="k"/>, if any (only a free can be one), given which interpreters had ended
    /// before it; an interpreter's end is recorded in <paramref name="ended"/> for the events after.
    /// </summary>
    internal static HazardKind? At(IReadOnlyList<Event> events, int k, ref EndedInterps ended)
    {
        switch (events[k])
        {
            case RefEvent { Op: RefOp.Free } f:
                return OfFree(f.Object, f.ActorDomain, ended.Contains(f.Object.Owner));
            case InterpLifecycle { Status: InterpStatus.Ended } e:
                ended.Add(e.Interp);
                return null;
            default:
                return null;
        }
    }

    /// <summary>The hazard of freeing <paramref name="o"/> under allocator domain <paramref name="actorDomain"/>, if any.</summary>
    internal static HazardKind? OfFree(HeapObject o, int actorDomain, bool ownerEnded)
    {
        // One free, one hazard: a foreign allocator is reported first, as glibc aborts in free()
        // (exp4-d: 3.12.1 aborts, not segfaults, when S's dead objects are freed under main).
        if (o.Domain != actorDomain) return HazardKind.ForeignAllocatorFree;
        if (ownerEnded) return HazardKind.DeadOwnerFree;
        return null;
    }

    internal static Hazard Make(HazardKind kind, int k, RefEvent f) => new(kind, k, f.Id, f.Object, f.Actor);

    /// <summary>A set of interpreter ids: a bit mask for ids 0..63 (every configuration in practice), a hash set beyond.</summary>
    internal struct EndedInterps
    {
        private ulong bits;
        private HashSet<int>? more;

        public EndedInterps(State before)
        {
            for (var i = 0; i < before.Interps.Count; i++)
                if (before.Interps[i].Status == InterpStatus.Ended) Add(i);
        }

        public void Add(int interp)
        {
            if ((uint)interp < 64) bits |= 1UL << interp;
            else (more ??= []).Add(interp);
        }

        public readonly bool Contains(int interp) =>
            (uint)interp < 64 ? (bits & (1UL << interp)) != 0 : more is not null && more.Contains(interp);
    }

    public static string Describe(Hazard h, Catalogue cat) => h.Kind switch
    {
        HazardKind.ForeignAllocatorFree =>
            $"{Objects.Describe(h.Object, cat)} allocated by {Interp.Name(h.Object.Domain)}'s obmalloc is freed while {Interp.Name(h.Actor)} is current (free(): invalid pointer)",
        _ =>
            $"{Objects.Describe(h.Object, cat)} of ended {Interp.Name(h.Object.Owner)} is freed while {Interp.Name(h.Actor)} is current; its GC links point into {Interp.Name(h.Object.Owner)}'s freed GC state",
    };
}

/// <summary>Readable names for heap objects.</summary>
public static class Objects
{
    public static string Describe(HeapObject o, Catalogue cat)
    {
        var mod = o.Module >= 0 ? cat.Modules[o.Module].Name : "?";
        var init = o.Serial > 0 ? $" (init #{o.Serial})" : "";
        var by = $" owned by {Interp.Name(o.Owner)}";
        return o.Kind switch
        {
            ObjKind.Module when o.Def >= 0 => $"module {mod} [init-created]{init}{by}",
            ObjKind.Module => $"module {mod} [copy]{by}",
            ObjKind.Dict => $"dict ({mod}){by}",
            ObjKind.List => $"{mod}.obj list{init}{by}",
            ObjKind.Type => $"{mod}.error type{init}{by}",
            ObjKind.Func => $"{mod} function{init}{by}",
            _ => o.Kind.ToString(),
        };
    }
}
