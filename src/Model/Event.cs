namespace Verify.Model;

/// <summary>
/// What a transition did, in order. Properties and hazards are computed from events and states only,
/// never from knowledge of a particular scenario.
/// </summary>
public abstract record Event;

public enum RefOp : byte { Incref, Decref, Free }

/// <summary>
/// A reference-count change or a free. <paramref name="Actor"/> is the interpreter current when it happened,
/// <paramref name="ActorDomain"/> its allocator; <paramref name="Object"/> is the object as it was (owner, domain, kind).
/// </summary>
public sealed record RefEvent(RefOp Op, int Actor, int ActorDomain, ObjId Id, HeapObject Object) : Event
{
    /// <summary>The acting interpreter is not the object's owner.</summary>
    public bool IsForeign => Actor != Object.Owner;
}

public enum InitKind : byte
{
    /// <summary><c>PyInit_*</c> of a single-phase module (a full init: module, dict, values)</summary>
    Init,
    /// <summary><c>def.m_init()</c> called again on a cache hit (<c>m_size &gt;= 0</c>)</summary>
    Reinit,
    /// <summary><c>PyInit_*</c> of a multi-phase module: only returns the def</summary>
    MultiPhaseInit,
    /// <summary>the exec slots of a multi-phase module</summary>
    Exec,
    /// <summary>an interpreter builds its own <c>sys</c>/<c>builtins</c></summary>
    CoreCreate,
}

/// <summary>An init function (or exec) of <paramref name="Def"/> ran while <paramref name="Interp"/> was current.</summary>
public sealed record InitRan(InitKind Kind, int Def, int Module, int Interp, int Serial) : Event;

/// <summary>The current interpreter changed inside a step (3.13's switch to main around an init).</summary>
public sealed record Switched(int From, int To) : Event;

/// <summary>
/// <c>def.m_base.m_copy</c> changed (set, replaced or cleared); with <paramref name="Holder"/> &gt;= 0, that interpreter's own
/// <c>m_copy</c> of the def (fix strategies that keep it per interpreter).
/// </summary>
public sealed record MCopyChanged(int Def, ObjId Old, ObjId New, int Actor, int Holder = -1) : Event;

/// <summary>A key was added to or removed from the extension cache; with <paramref name="Holder"/> &gt;= 0, that interpreter's own cache.</summary>
public sealed record CacheChanged(int Module, bool Added, int Actor, int Holder = -1) : Event;

/// <summary><c>m_index</c> assigned (first <c>PyModuleDef_Init</c>, or after 3.13's <c>clear_extension</c> reset it).</summary>
public sealed record IndexAssigned(int Def, int Index) : Event;

/// <summary>An interpreter's collector freed a cycle it tracked.</summary>
public sealed record Collected(int Interp, int Objects) : Event;

/// <summary>The step raised <c>ImportError</c> in Python.</summary>
public sealed record ImportFailed(int Module, string Message) : Event;

/// <summary>An interpreter was created or has finished ending.</summary>
public sealed record InterpLifecycle(int Interp, InterpStatus Status, InterpKind Kind) : Event;
