using System.Text.Json.Nodes;
using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Compare;

/// <summary>
/// compare.json (and <c>verify compare --json</c>): snake_case, every key always present. As in result.json, what varies
/// from run to run lives only in the <c>timing</c> objects; the rest is the same bytes for the same spec and seed.
/// </summary>
internal static class CompareJson
{
    public static string Render(Comparison c) => ReportJson.Render(ToJson(c));

    public static JsonObject ToJson(Comparison c)
    {
        var s = c.Settings;
        return new JsonObject
        {
            ["spec"] = s.Spec.Source,
            ["interpreters"] = ReportJson.Interpreters(s.Spec.SlotKinds),
            ["modules"] = new JsonArray(s.Spec.Catalogue.Importable.Select(m => (JsonNode)m.Name).ToArray()),
            ["depth"] = s.Search.MaxDepth,
            ["baseline"] = s.Baseline.Name,
            ["cost_traces"] = new JsonObject { ["count"] = s.Traces, ["length"] = s.Length, ["seed"] = s.Seed },
            ["complete"] = c.Complete,
            ["interrupted"] = c.Interrupted,
            ["exit_code"] = c.ExitCode,
            ["semantics"] = new JsonArray(c.Rows.Select(r => (JsonNode)Semantics(r)).ToArray()),
            ["properties"] = new JsonArray(s.Search.Properties.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name, ["kind"] = CheckWords.Kind(p.Kind), ["statement"] = p.Statement,
            }).ToArray()),
            ["matrix"] = new JsonArray(c.Rows.SelectMany(r => r.Result.Verdicts.Select((v, k) => (JsonNode)Cell(r, v, r.Saved[k]))).ToArray()),
            ["costs"] = new JsonArray(c.Costs.Select(x => (JsonNode)Cost(x, s.Spec.Catalogue)).ToArray()),
            ["timing"] = new JsonObject
            {
                ["search_seconds"] = Math.Round(c.SearchTime.TotalSeconds, 3),
                ["cost_seconds"] = Math.Round(c.CostTime.TotalSeconds, 3),
            },
        };
    }

    private static JsonObject Semantics(SemanticsRun r)
    {
        var st = r.Result.Stats;
        return new JsonObject
        {
            ["name"] = r.Semantics.Name,
            ["kind"] = r.Semantics.IsFixStrategy ? "strategy" : "release",
            ["summary"] = r.Semantics.Summary,
            ["rationale"] = (r.Semantics as FixStrategy)?.Rationale,
            ["distinct_states"] = st.Distinct,
            ["depth"] = st.Depth,
            ["stop"] = CheckWords.Stop(st.Stop),
            ["complete"] = st.Complete,
            ["timing"] = new JsonObject { ["elapsed_seconds"] = Math.Round(st.Elapsed.TotalSeconds, 3) },
        };
    }

    private static JsonObject Cell(SemanticsRun r, PropertyVerdict v, SavedFinding? saved) => CheckJson.WithVerdict(new JsonObject
    {
        ["semantics"] = r.Semantics.Name,
        ["property"] = v.Property.Name,
    }, v, saved);

    private static JsonObject Cost(StrategyCost x, Catalogue cat) => new()
    {
        ["strategy"] = x.Strategy.Name,
        ["compared"] = x.Compared,
        ["diverged"] = x.Diverged,
        ["changes"] = new JsonArray(x.Cells.Select(c => (JsonNode)new JsonObject
        {
            ["kind"] = CostKinds.Name(c.Kind),
            ["price"] = CostKinds.IsPrice(c.Kind),
            ["traces"] = c.Traces,
            ["shortest_length"] = c.ShortestLength,
            ["what"] = c.What,
            ["shortest"] = c.Shortest is null ? null
                : new JsonArray(c.Shortest.Select(a => (JsonNode)TraceWriter.StepObject(TraceBinder.ToStep(a, cat))).ToArray()),
        }).ToArray()),
    };
}
