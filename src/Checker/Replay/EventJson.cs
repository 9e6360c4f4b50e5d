using System.Text.Json.Nodes;
using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>
/// The JSON form of an event (docs/trace-format.md). Object ids (<c>id</c>, <c>old</c>, <c>new</c>) number the
/// heap as it was during that one step: they relate events of the same step, not of different steps.
/// </summary>
internal static class EventJson
{
    public static JsonObject ToJson(Event e, Catalogue cat) => e switch
    {
        RefEvent r => new JsonObject
        {
            ["type"] = EventText.Op(r.Op),
            ["actor"] = r.Actor,
            ["actor_domain"] = r.ActorDomain,
            ["owner"] = (int)r.Object.Owner,
            ["domain"] = (int)r.Object.Domain,
            ["id"] = r.Id.Value,
            ["kind"] = r.Object.Kind.ToString().ToLowerInvariant(),
            ["refcount"] = (int)r.Object.RefCount,
            ["object"] = Objects.Describe(r.Object, cat),
            ["foreign"] = r.IsForeign,
        },
        InitRan i => new JsonObject
        {
            ["type"] = "init_ran",
            ["kind"] = EventText.Kind(i.Kind),
            ["def"] = cat.Defs[i.Def].Name,
            ["module"] = cat.Modules[i.Module].Name,
            ["interp"] = i.Interp,
            ["serial"] = i.Serial,
        },
        Switched s => new JsonObject { ["type"] = "switched", ["from"] = s.From, ["to"] = s.To },
        MCopyChanged m => new JsonObject
        {
            ["type"] = "m_copy_changed",
            ["def"] = cat.Defs[m.Def].Name,
            ["old"] = Id(m.Old),
            ["new"] = Id(m.New),
            ["actor"] = m.Actor,
        }.WithHolder(m.Holder),
        CacheChanged c => new JsonObject
        {
            ["type"] = "cache_changed", ["module"] = cat.Modules[c.Module].Name, ["key"] = cat.Modules[c.Module].Key,
            ["added"] = c.Added, ["actor"] = c.Actor,
        }.WithHolder(c.Holder),
        ImportFailed f => new JsonObject { ["type"] = "import_failed", ["module"] = cat.Modules[f.Module].Name, ["message"] = f.Message },
        IndexAssigned x => new JsonObject { ["type"] = "index_assigned", ["def"] = cat.Defs[x.Def].Name, ["index"] = x.Index },
        Collected c => new JsonObject { ["type"] = "collected", ["interp"] = c.Interp, ["objects"] = c.Objects },
        InterpLifecycle l => new JsonObject
        {
            ["type"] = "interp_lifecycle", ["interp"] = l.Interp, ["status"] = l.Status.ToString().ToLowerInvariant(),
            ["mode"] = ActionText.Mode(l.Kind),
        },
        _ => new JsonObject { ["type"] = e.GetType().Name },
    };

    /// <summary>NULL is null; the immortal constant (never in m_copy) is -2 like the model's id.</summary>
    private static JsonNode? Id(ObjId id) => id.IsNone ? null : JsonValue.Create(id.Value);

    /// <summary>A fix strategy's per-interpreter table is named by a "holder" field; the process-wide ones have none.</summary>
    private static JsonObject WithHolder(this JsonObject o, int holder)
    {
        if (holder >= 0) o["holder"] = holder;
        return o;
    }
}
