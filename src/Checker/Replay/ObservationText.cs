using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>Readable lines for an <see cref="Observation"/>: what a Python program could see after the step.</summary>
internal static class ObservationText
{
    public static IEnumerable<string> Lines(Observation o)
    {
        if (o.Interpreters.Count > 0)
            yield return "interpreters: " + string.Join(", ", o.Interpreters.Select(i =>
                i.I == Interp.Main ? $"main {i.Status}" : $"{Interp.Name(i.I)} ({i.Mode}) {i.Status}"));
        foreach (var m in o.Modules)
        {
            var values = m.InitInterp is { } who ? $"values from {Interp.Name(who)}'s init #{m.InitSerial}" : "no values";
            var self = m.LookUpSelfIsModule ? "look_up_self() is it" : "look_up_self() is not it";
            var rebound = m.ObjRebound ? ", obj rebound" : "";
            yield return $"{Interp.Name(m.I)}: {m.Mod} {(m.InitCreated ? "init-created" : "copy")}, {values}, " +
                         $"initialized_count {m.InitializedCount}, {self}{rebound}";
        }
        foreach (var s in o.Sharing)
            yield return $"{s.Mod} {Interp.Name(s.I)}/{Interp.Name(s.J)} share: module {YesNo(s.Module)}, dict {YesNo(s.Dict)}, values {YesNo(s.Values)}";
        foreach (var d in o.Defs.Where(d => d.MIndex != 0 || d.MInit || d.MCopySet))
        {
            var copy = d.MCopySet ? $"m_copy set (refcount {d.MCopyRefcount}, owner {Interp.Name(d.MCopyOwner ?? 0)})" : "m_copy NULL";
            yield return $"def {d.Def}: m_index {d.MIndex}, m_init {YesNo(d.MInit)}, {copy}";
        }
        if (o.Cached.Count > 0) yield return "cached: " + string.Join(", ", o.Cached);
    }

    private static string YesNo(bool b) => b ? "yes" : "no";
}
