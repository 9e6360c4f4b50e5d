using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Model;

namespace Verify.Checker.Reports;

/// <summary>What the JSON reports (check's result.json, bench's --json) share: how they are written and how slots are shown.</summary>
internal static class ReportJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Render(JsonObject json) => json.ToJsonString(Options) + "\n";

    /// <summary>The slots, each as the list of modes it may be created in.</summary>
    public static JsonArray Interpreters(IEnumerable<SlotKind> kinds) =>
        new(kinds.Select(k => (JsonNode)new JsonArray(k.Modes.Select(x => (JsonNode)JsonValue.Create(ActionText.Mode(x))).ToArray())).ToArray());
}
