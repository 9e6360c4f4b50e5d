using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Checker.Documents;

namespace Verify.Tests.Reliability;

/// <summary>A valid YAML or JSON file in its JSON form, through Verify's own reader (so the meaning is the same).</summary>
internal static class DocJson
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ToJson(string text, string name, bool reverse = false)
    {
        var node = DocNodes.ToJson(DocReader.Read(text, name));
        if (reverse && node is JsonObject o)
            node = new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())).ToList());
        return node is null ? "null" : node.ToJsonString(Options);
    }
}
