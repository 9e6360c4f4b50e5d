using System.Text.Json.Nodes;

namespace Verify.Checker.Traces;

/// <summary>
/// A parsed trace: its steps, and the other top-level keys of the object form (<c>semantics</c>,
/// <c>description</c>, <c>spec</c>, ...) kept in file order so that writing the trace back keeps them.
/// </summary>
/// <param name="Source">the file it came from (used in messages), or a name such as "built-in D2 trace"</param>
internal sealed record Trace(string Source, IReadOnlyList<TraceStep> Steps, IReadOnlyList<KeyValuePair<string, JsonNode?>> Metadata)
{
    public Trace(string source, IReadOnlyList<TraceStep> steps) : this(source, steps, []) { }

    /// <summary>The top-level <c>semantics</c> key: the default for <c>--semantics</c>.</summary>
    public string? Semantics => Text("semantics");
    /// <summary>The top-level <c>spec</c> key: the default for <c>--spec</c>, relative to the trace file.</summary>
    public string? Spec => Text("spec");
    public string? Description => Text("description");

    private string? Text(string key) =>
        Metadata.FirstOrDefault(m => m.Key == key).Value is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The highest interpreter index any step names (0 if none).</summary>
    public int MaxInterpreter => Steps.Select(s => s.I ?? 0).DefaultIfEmpty(0).Max();
}
