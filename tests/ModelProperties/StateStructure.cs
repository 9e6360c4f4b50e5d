using Verify.Model;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// Equality and copying of states that do not go through <see cref="State.Equals(State)"/>: that method
/// compares the cached hashes first, so checking it against itself would hide a hash that is not a
/// function of the structure. These helpers look at the fields only.
/// </summary>
public static class StateStructure
{
    /// <summary>Field-by-field equality (every collection compared element-wise), ignoring the cached hash.</summary>
    public static bool Same(State a, State b) =>
        a.Phase == b.Phase && a.IndexCounter == b.IndexCounter &&
        a.Heap.SequenceEqual(b.Heap) && a.Defs.SequenceEqual(b.Defs) && a.Cache.SequenceEqual(b.Cache) &&
        a.Globals.SequenceEqual(b.Globals) &&
        a.Interps.Count == b.Interps.Count &&
        a.Interps.Zip(b.Interps).All(p => SameInterp(p.First, p.Second));

    private static bool SameInterp(InterpState a, InterpState b) =>
        a.Status == b.Status && a.Kind == b.Kind && a.SysDictCopy == b.SysDictCopy && a.BuiltinsCopy == b.BuiltinsCopy &&
        a.SysModules.SequenceEqual(b.SysModules) && a.ModulesByIndex.SequenceEqual(b.ModulesByIndex) &&
        a.OwnMCopy.SequenceEqual(b.OwnMCopy) && a.OwnKeys.SequenceEqual(b.OwnKeys);

    /// <summary>A new state built from fresh copies of every array of <paramref name="s"/>: no storage is shared.</summary>
    public static State Rebuild(State s) => new(
        s.Phase,
        ValueArray.From(s.Interps.Select(i => new InterpState(i.Status, i.Kind, i.Born,
            ValueArray.From(i.SysModules.ToArray()), ValueArray.From(i.ModulesByIndex.ToArray()), i.SysDictCopy, i.BuiltinsCopy,
            i.OwnMCopy.Count == 0 ? default : ValueArray.From(i.OwnMCopy.ToArray()), i.OwnKeys.Count == 0 ? default : ValueArray.From(i.OwnKeys.ToArray())))),
        ValueArray.From(s.Defs.ToArray()),
        ValueArray.From(s.Cache.ToArray()),
        ValueArray.From(s.Globals.ToArray()),
        s.IndexCounter,
        ValueArray.From(s.Heap.ToArray()));
}
