using System.Globalization;
using System.Text.Json.Nodes;

namespace Verify.Checker.Documents;

/// <summary>
/// A parsed JSON or YAML document as one small tree with source positions, so that traces and specs
/// are validated by one piece of code whatever the file format, and every error can name line and column.
/// Line and column are 1-based; 0 means "not from a file" (a trace built in code).
/// </summary>
internal abstract record DocNode(int Line, int Column)
{
    /// <summary>What kind of value this is, for messages: "a list", "an object", "the string 'x'".</summary>
    public abstract string Describe();
}

internal sealed record DocMap(IReadOnlyList<KeyValuePair<DocScalar, DocNode>> Entries, int Line, int Column) : DocNode(Line, Column)
{
    public DocNode? Get(string key) => Entries.FirstOrDefault(e => e.Key.Text == key).Value;
    public override string Describe() => "an object";
}

internal sealed record DocSeq(IReadOnlyList<DocNode> Items, int Line, int Column) : DocNode(Line, Column)
{
    public override string Describe() => "a list";
}

internal enum ScalarKind { String, Integer, Float, Bool, Null }

/// <summary>A scalar with its resolved type; <see cref="Text"/> is the source text (or the JSON string's value).</summary>
internal sealed record DocScalar(ScalarKind Kind, string Text, int Line, int Column) : DocNode(Line, Column)
{
    public override string Describe() => Kind switch
    {
        ScalarKind.String => $"the string '{Text}'",
        ScalarKind.Integer or ScalarKind.Float => $"the number {Text}",
        ScalarKind.Bool => $"the boolean {Text}",
        _ => "null",
    };

    public bool TryInt(out int value)
    {
        value = 0;
        return Kind == ScalarKind.Integer && int.TryParse(Text, NumberStyles.AllowLeadingSign,
            CultureInfo.InvariantCulture, out value);
    }
}

internal static class DocNodes
{
    /// <summary>Converts a subtree to JSON, keeping key order, so metadata a trace carries can be written back unchanged.</summary>
    public static JsonNode? ToJson(DocNode node) => node switch
    {
        DocScalar { Kind: ScalarKind.Integer } s when long.TryParse(s.Text, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        DocScalar { Kind: ScalarKind.Float } s when double.TryParse(s.Text, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        DocScalar { Kind: ScalarKind.Bool } s => JsonValue.Create(s.Text.Equals("true", StringComparison.OrdinalIgnoreCase)),
        DocScalar { Kind: ScalarKind.Null } => null,
        DocScalar s => JsonValue.Create(s.Text),
        DocSeq q => new JsonArray(q.Items.Select(ToJson).ToArray()),
        DocMap m => new JsonObject(m.Entries.Select(e => new KeyValuePair<string, JsonNode?>(e.Key.Text, ToJson(e.Value)))),
        _ => null,
    };
}
