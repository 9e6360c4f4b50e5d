namespace Verify.Model;

/// <summary>The process-wide part of a static <c>PyModuleDef</c>: its <c>m_base</c>.</summary>
/// <param name="MIndex">0: unassigned; otherwise the slot in every interpreter's modules-by-index</param>
/// <param name="MInit">whether <c>m_base.m_init</c> is set</param>
/// <param name="MCopy">NULL or the dict it references (one strong reference)</param>
public readonly record struct DefState(int MIndex, bool MInit, ObjId MCopy)
{
    public static DefState Fresh => new(0, false, ObjId.None);
}

/// <summary>
/// One extension-cache entry. In 3.10-3.12 the value is the def itself (implied by the key, so only
/// <see cref="Present"/> matters). In 3.13 it is a record: the def's index and <c>m_init</c> at the
/// time, and <c>m_dict</c> = {<see cref="Copied"/>, <see cref="CopiedOwner"/>}, the cache's own strong reference.
/// </summary>
public readonly record struct CacheEntry(bool Present, int MIndex, bool MInit, ObjId Copied, sbyte CopiedOwner)
{
    public static CacheEntry Absent => new(false, 0, false, ObjId.None, -1);
    /// <summary>3.10-3.12: the value is the def pointer.</summary>
    public static CacheEntry OfDef => new(true, 0, false, ObjId.None, -1);
}

/// <summary>An extension's own C statics, which CPython never resets.</summary>
/// <param name="InitCount">how many times an init of this group ran (<c>initialized_count()</c>)</param>
/// <param name="Loaded">the HOWTO opt-out's static flag</param>
public readonly record struct CGlobals(int InitCount, bool Loaded);

/// <summary>Whether the process still runs. A crash or finalization ends it: no action is enabled after.</summary>
public enum ProcessPhase : byte { Running, Finalized, Crashed }
