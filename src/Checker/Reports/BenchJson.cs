using System.Text.Json.Nodes;
using Verify.Checker.Explore;
using Verify.Model;

namespace Verify.Checker.Reports;

/// <summary>
/// <c>verify bench --json</c>: snake_case, every key always present (null where it does not apply), one object
/// per run in the order they ran. Documented in docs/benchmarks.md.
/// </summary>
internal static class BenchJson
{
    public static string Render(BenchOutcome outcome) => ReportJson.Render(ToJson(outcome));

    public static JsonObject ToJson(BenchOutcome o)
    {
        var s = o.Settings;
        var m = o.Machine;
        return new JsonObject
        {
            ["spec"] = s.Spec.Source,
            ["interpreters"] = ReportJson.Interpreters(s.Spec.SlotKinds),
            ["modules"] = s.Spec.Catalogue.Modules.Count,
            ["properties"] = s.Spec.Properties.Count,
            ["depth"] = s.Spec.Depth,
            ["semantics"] = new JsonArray(s.Semantics.Select(x => (JsonNode)JsonValue.Create(x.Name)).ToArray()),
            ["max_slots"] = s.MaxSlots,
            ["symmetry"] = new JsonArray(s.Symmetries.Select(x => (JsonNode)JsonValue.Create(x)).ToArray()),
            ["max_seconds"] = s.MaxSeconds,
            ["workers"] = s.Workers,
            ["storage"] = "fingerprint",
            ["started"] = o.Started.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["build"] = m.ReleaseBuild ? "release" : "debug",
                ["cores"] = m.Cores,
                ["runtime"] = m.Runtime,
                ["os"] = m.Os,
                ["peak_memory_per_run"] = m.PeakPerRun,
            },
            ["cancelled"] = o.Cancelled,
            ["exit_code"] = o.ExitCode,
            ["runs"] = new JsonArray(o.Runs.Select(r => (JsonNode)Run(r)).ToArray()),
        };
    }

    private static JsonObject Run(BenchRun r)
    {
        var st = r.Stats;
        return new JsonObject
        {
            ["semantics"] = r.Semantics.Name,
            ["series"] = r.Series == BenchSeries.Spec ? "spec" : "slots",
            ["slots"] = r.Slots,
            ["interpreters"] = ReportJson.Interpreters(r.SlotKinds),
            ["symmetry"] = r.Symmetry,
            ["distinct"] = st.Distinct,
            ["distinct_unreduced"] = st.DistinctUnreduced,
            ["generated"] = st.Generated,
            ["depth"] = st.Depth,
            ["elapsed_seconds"] = Math.Round(st.Elapsed.TotalSeconds, 3),
            ["states_per_second"] = Math.Round(st.StatesPerSecond),
            ["generated_per_second"] = Math.Round(BenchText.GeneratedPerSecond(st)),
            ["stored_bytes"] = st.StoredBytes,
            ["bytes_per_state"] = Math.Round(st.BytesPerState, 2),
            ["peak_memory_bytes"] = st.PeakMemoryBytes,
            ["collision_probability"] = st.CollisionProbability,
            ["workers"] = st.Workers,
            ["stop"] = CheckWords.Stop(st.Stop),
            ["complete"] = st.Complete,
            ["unexplored"] = st.Unexplored,
        };
    }
}
