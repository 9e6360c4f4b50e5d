using System.Text.Json.Nodes;
using Verify.Checker.Explore;

namespace Verify.Checker.Reports;

/// <summary>
/// result.json (and <c>verify check --json</c>): snake_case, every key always present (null when it does not
/// apply), so scripts can rely on the shape. Documented in README.md. Figures that vary from run to run (times,
/// speeds, memory, threads) live only in the <c>timing</c> objects, so that the rest is byte-identical for the same
/// input whatever the thread count.
/// </summary>
internal static class CheckJson
{
    public static string Render(CheckOutcome outcome) => ReportJson.Render(ToJson(outcome));

    public static JsonObject ToJson(CheckOutcome outcome)
    {
        var s = outcome.Settings;
        var o = s.Options;
        return new JsonObject
        {
            ["spec"] = s.Spec.Source,
            ["interpreters"] = ReportJson.Interpreters(s.Spec.SlotKinds),
            ["modules"] = s.Spec.Catalogue.Modules.Count,
            ["depth"] = o.MaxDepth,
            ["limits"] = new JsonObject
            {
                ["max_states"] = o.MaxStates,
                ["max_seconds"] = o.MaxSeconds,
                ["max_memory_bytes"] = o.MaxMemoryBytes,
                ["max_memory_default"] = s.MemoryDefault,
            },
            ["symmetry"] = o.Symmetry,
            ["storage"] = Storage(o.Storage),
            ["stop_at_first_violation"] = o.StopAtFirstViolation,
            ["complete"] = outcome.Complete,
            ["interrupted"] = outcome.Interrupted,
            ["exit_code"] = outcome.ExitCode,
            ["results"] = new JsonArray(outcome.Runs.Select(r => (JsonNode)Run(r)).ToArray()),
        };
    }

    private static JsonObject Run(SemanticsRun run)
    {
        var st = run.Result.Stats;
        return new JsonObject
        {
            ["semantics"] = run.Semantics.Name,
            ["exit_code"] = run.Result.ExitCode,
            ["stats"] = new JsonObject
            {
                ["generated"] = st.Generated,
                ["distinct"] = st.Distinct,
                ["distinct_unreduced"] = st.DistinctUnreduced,
                ["depth"] = st.Depth,
                ["stored_bytes"] = st.StoredBytes,
                ["bytes_per_state"] = Math.Round(st.BytesPerState, 2),
                ["collision_probability"] = st.CollisionProbability,
                ["storage"] = Storage(st.Storage),
                ["symmetry"] = st.Symmetry,
                ["stop"] = CheckWords.Stop(st.Stop),
                ["complete"] = st.Complete,
                ["unexplored"] = st.Unexplored,
            },
            // Everything that depends on the machine, the load or the thread count, and nothing else: without the
            // "timing" objects, the same spec and options give the same bytes.
            ["timing"] = new JsonObject
            {
                ["elapsed_seconds"] = Math.Round(st.Elapsed.TotalSeconds, 3),
                ["states_per_second"] = Math.Round(st.StatesPerSecond),
                ["peak_memory_bytes"] = st.PeakMemoryBytes,
                ["workers"] = st.Workers,
            },
            ["properties"] = new JsonArray(run.Result.Verdicts.Select((v, k) => (JsonNode)Property(v, run.Saved[k])).ToArray()),
        };
    }

    private static JsonObject Property(PropertyVerdict v, SavedFinding? saved) => WithVerdict(new JsonObject
    {
        ["name"] = v.Property.Name,
        ["kind"] = CheckWords.Kind(v.Property.Kind),
        ["statement"] = v.Property.Statement,
    }, v, saved);

    /// <summary>
    /// Adds a verdict's keys to <paramref name="o"/>, after its own: the verdict, the counterexample's length and finding,
    /// and the files saved for it. result.json's properties and compare.json's matrix cells write a verdict this one way.
    /// </summary>
    public static JsonObject WithVerdict(JsonObject o, PropertyVerdict v, SavedFinding? saved)
    {
        o["verdict"] = CheckWords.Verdict(v.Verdict);
        o["length"] = v.Trace?.Length;
        o["finding"] = v.Trace?.Finding.Message;
        o["trace"] = saved?.Trace;
        o["report"] = saved?.Report;
        return o;
    }

    private static string Storage(StorageMode m) => m == StorageMode.Exact ? "exact" : "fingerprint";
}
