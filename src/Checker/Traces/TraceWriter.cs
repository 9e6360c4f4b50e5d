using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Verify.Checker.Traces;

/// <summary>
/// Writes a trace as JSON that <see cref="TraceParser"/> reads back: the object form when the trace has
/// metadata (metadata first, then <c>steps</c>), else a plain list; one step per line, keys in the order
/// op, I, mode/mod, so saved counterexamples diff well.
/// </summary>
internal static class TraceWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(Trace trace)
    {
        if (trace.Metadata.Count == 0) return StepList(trace, "") + "\n";
        var sb = new StringBuilder("{\n");
        foreach (var (key, value) in trace.Metadata)
        {
            var json = value is null ? "null" : value.ToJsonString(Options).Replace("\n", "\n  ");
            sb.Append("  ").Append(JsonSerializer.Serialize(key, Options)).Append(": ").Append(json).Append(",\n");
        }
        sb.Append("  \"steps\": ").Append(StepList(trace, "  ")).Append("\n}\n");
        return sb.ToString();
    }

    /// <summary>The steps as a JSON list, one step per line, the closing bracket at <paramref name="indent"/>.</summary>
    private static string StepList(Trace trace, string indent) => trace.Steps.Count == 0
        ? "[]"
        : "[\n" + string.Join(",\n", trace.Steps.Select(s => indent + "  " + StepJson(s))) + "\n" + indent + "]";

    public static void Write(Trace trace, string path) => Reports.AtomicFile.WriteAllText(path, ToJson(trace));

    /// <summary>One step as a single-line JSON object with a fixed key order.</summary>
    public static string StepJson(TraceStep step) =>
        "{" + string.Join(", ", StepObject(step).Select(p =>
            JsonSerializer.Serialize(p.Key, Options) + ": " + p.Value!.ToJsonString(Options))) + "}";

    /// <summary>The step as a JSON object: op, I, then mode or mod (also used in replay output).</summary>
    public static JsonObject StepObject(TraceStep step)
    {
        var o = new JsonObject { ["op"] = step.Op };
        if (step.I is { } i) o[TraceOps.ArgI] = i;
        if (step.Mode is { } mode) o[TraceOps.ArgMode] = mode;
        if (step.Mod is { } mod) o[TraceOps.ArgMod] = mod;
        return o;
    }
}
