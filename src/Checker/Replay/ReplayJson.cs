using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>
/// The stable machine-readable report of <c>verify replay --json</c> (shape in docs/trace-format.md):
/// snake_case keys, fixed key order, every event of every step, and the observation after each step.
/// </summary>
internal static class ReplayJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Render(ReplayResult r, string spec)
    {
        var cat = r.Catalogue;
        var steps = new JsonArray();
        foreach (var s in r.Steps)
        {
            steps.Add(new JsonObject
            {
                ["step"] = s.Number,
                ["op"] = TraceWriter.StepObject(s.Step),
                ["action"] = ActionText.Describe(s.Transition.Action, cat),
                ["outcome"] = s.Observation.Outcome,
                ["message"] = s.Observation.Message,
                ["signal"] = s.Observation.Signal,
                ["events"] = Events(s.Transition.Events, cat),
                ["observation"] = JsonSerializer.SerializeToNode(s.Observation, Options),
            });
        }
        var exit = r.ExitObservation;
        var root = new JsonObject
        {
            ["semantics"] = r.Configuration.Semantics.Name,
            ["trace"] = r.Trace.Source,
            ["spec"] = spec,
            ["slots"] = r.Configuration.Slots,
            ["steps"] = steps,
            ["exit"] = new JsonObject
            {
                ["outcome"] = exit.Outcome,
                ["message"] = exit.Message,
                ["signal"] = r.CrashStep?.Observation.Signal ?? exit.Signal,
                ["exit_code"] = r.ExitCode,
                ["events"] = Events(r.ExitEvents, cat),
            },
        };
        return root.ToJsonString(Options) + "\n";
    }

    private static JsonArray Events(IEnumerable<Event> events, Catalogue cat) =>
        new(events.Select(e => (JsonNode)EventJson.ToJson(e, cat)).ToArray());
}
