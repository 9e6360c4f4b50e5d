namespace Verify.Model;

public enum ObjKind : byte
{
    /// <summary>a module object: init-created (<c>md_def</c> set) or a copy (<c>md_def == NULL</c>)</summary>
    Module,
    Dict,
    List,
    /// <summary>a heap exception type</summary>
    Type,
    /// <summary>a builtin function; <see cref="HeapObject.Self"/> is its <c>__self__</c></summary>
    Func,
}

/// <summary>The attributes a model module dict can hold, one slot each.</summary>
public enum Attr : byte { Obj, Error, Func }

/// <summary>
/// One mortal object. A flat value (no references to other CLR objects) so that the heap is an array
/// of structs: cheap to copy, compare and hash.
/// </summary>
/// <param name="Owner">the interpreter whose thread state was current when it was allocated</param>
/// <param name="Domain">the allocator it came from: 0 (main's obmalloc, shared by legacy subinterpreters) or an isolated interpreter's own</param>
/// <param name="RefCount">exactly the references the state holds to it</param>
/// <param name="Def">modules: <c>md_def</c> (-1 for a copy module); others: the def whose init made it (-1 if none)</param>
/// <param name="Module">the catalogue module (requested name) whose import made it</param>
/// <param name="Serial">the value of the def's C-globals init counter when the init that made it ran (0: not made by an init)</param>
/// <param name="Dict">modules: their <c>__dict__</c></param>
/// <param name="Self">functions: <c>__self__</c></param>
/// <param name="Obj">dicts: the <c>obj</c> slot</param>
/// <param name="Error">dicts: the <c>error</c> slot</param>
/// <param name="Fn">dicts: the function slot</param>
/// <param name="Leaked">one reference is held by nothing: 3.10/3.11's <c>Py_EndInterpreter</c> untracks every object its
/// collector still tracks and increfs it on purpose (gc_fini_untrack, gh-92036), so it is never freed</param>
/// <param name="Immortal">made immortal (PEP 683) by a fix strategy: the runtime holds one reference until it ends, Python's
/// increfs and decrefs write nothing (no event, no hazard), and no collector tracks it</param>
public readonly record struct HeapObject(
    ObjKind Kind,
    sbyte Owner,
    sbyte Domain,
    short RefCount,
    sbyte Def,
    sbyte Module,
    short Serial,
    ObjId Dict,
    ObjId Self,
    ObjId Obj,
    ObjId Error,
    ObjId Fn,
    bool Leaked = false,
    bool Immortal = false)
{
    public ObjId Slot(Attr a) => a switch { Attr.Obj => Obj, Attr.Error => Error, _ => Fn };

    public HeapObject WithSlot(Attr a, ObjId v) => a switch
    {
        Attr.Obj => this with { Obj = v },
        Attr.Error => this with { Error = v },
        _ => this with { Fn = v },
    };

    /// <summary>Every reference this object holds, in a fixed order.</summary>
    public IEnumerable<ObjId> References()
    {
        switch (Kind)
        {
            case ObjKind.Module: if (Dict.IsObject) yield return Dict; break;
            case ObjKind.Func: if (Self.IsObject) yield return Self; break;
            case ObjKind.Dict:
                if (Obj.IsObject) yield return Obj;
                if (Error.IsObject) yield return Error;
                if (Fn.IsObject) yield return Fn;
                break;
        }
    }

    /// <summary>
    /// Writes the references of <see cref="References"/>, in the same order, into <paramref name="into"/> (room for
    /// <see cref="MaxReferences"/>) and returns how many: the same answer without an iterator.
    /// </summary>
    public int CopyReferences(Span<ObjId> into)
    {
        var n = 0;
        switch (Kind)
        {
            case ObjKind.Module: if (Dict.IsObject) into[n++] = Dict; break;
            case ObjKind.Func: if (Self.IsObject) into[n++] = Self; break;
            case ObjKind.Dict:
                if (Obj.IsObject) into[n++] = Obj;
                if (Error.IsObject) into[n++] = Error;
                if (Fn.IsObject) into[n++] = Fn;
                break;
        }
        return n;
    }

    /// <summary>The most references one object holds (a dict's three slots).</summary>
    public const int MaxReferences = 3;

    public bool IsInitCreatedModule => Kind == ObjKind.Module && Def >= 0;
}
