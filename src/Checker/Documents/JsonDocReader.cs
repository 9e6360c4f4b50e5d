using System.Text;
using System.Text.Json;

namespace Verify.Checker.Documents;

/// <summary>
/// Reads JSON into a <see cref="DocNode"/> tree with Utf8JsonReader, recording each token's line and
/// column (System.Text.Json's DOM keeps no positions). Comments and trailing commas are tolerated, since
/// traces are written by hand too.
/// </summary>
internal static class JsonDocReader
{
    public static DocNode Read(string text, string file)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        });
        try
        {
            if (!reader.Read()) throw DocReader.Empty(file);
            var root = ReadValue(ref reader, lineStarts, file);
            if (reader.Read())
            {
                var (l, c) = Position(lineStarts, reader.TokenStartIndex);
                throw new InputException($"{SourceLocation.At(file, l, c)}: unexpected content after the end of the JSON document");
            }
            return root;
        }
        catch (JsonException e)
        {
            // JsonException positions are 0-based; its message repeats them, so keep only the first sentence.
            var line = (int)(e.LineNumber ?? 0) + 1;
            var col = (int)(e.BytePositionInLine ?? 0) + 1;
            throw new InputException($"{SourceLocation.At(file, line, col)}: malformed JSON: {Reason(e.Message)}");
        }
    }

    private static string Reason(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (cut >= 0 ? message[..cut] : message).Trim();
    }

    private static DocNode ReadValue(ref Utf8JsonReader reader, List<int> lineStarts, string file)
    {
        var (line, col) = Position(lineStarts, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var entries = new List<KeyValuePair<DocScalar, DocNode>>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var (kl, kc) = Position(lineStarts, reader.TokenStartIndex);
                    var key = new DocScalar(ScalarKind.String, Text(ref reader, file, kl, kc), kl, kc);
                    if (entries.Any(e => e.Key.Text == key.Text))
                        throw new InputException($"{SourceLocation.At(file, key)}: the key '{key.Text}' appears twice in one object");
                    reader.Read();
                    entries.Add(new(key, ReadValue(ref reader, lineStarts, file)));
                }
                return new DocMap(entries, line, col);
            }
            case JsonTokenType.StartArray:
            {
                var items = new List<DocNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    items.Add(ReadValue(ref reader, lineStarts, file));
                return new DocSeq(items, line, col);
            }
            case JsonTokenType.String:
                return new DocScalar(ScalarKind.String, Text(ref reader, file, line, col), line, col);
            case JsonTokenType.Number:
            {
                var raw = Encoding.UTF8.GetString(reader.ValueSpan);
                var kind = raw.IndexOfAny(['.', 'e', 'E']) >= 0 ? ScalarKind.Float : ScalarKind.Integer;
                return new DocScalar(kind, raw, line, col);
            }
            case JsonTokenType.True: return new DocScalar(ScalarKind.Bool, "true", line, col);
            case JsonTokenType.False: return new DocScalar(ScalarKind.Bool, "false", line, col);
            default: return new DocScalar(ScalarKind.Null, "null", line, col);
        }
    }

    /// <summary>
    /// A string token's value. The reader accepts escapes it cannot decode (a lone surrogate such as "\ud800") and
    /// only GetString rejects them, with an InvalidOperationException rather than a JsonException.
    /// </summary>
    private static string Text(ref Utf8JsonReader reader, string file, int line, int col)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new InputException($"{SourceLocation.At(file, line, col)}: malformed JSON: a string that is not valid text ({e.Message.TrimEnd('.')})");
        }
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n') starts.Add(i + 1);
        return starts;
    }

    private static (int Line, int Column) Position(List<int> lineStarts, long offset)
    {
        var index = lineStarts.BinarySearch((int)offset);
        if (index < 0) index = ~index - 1;
        return (index + 1, (int)offset - lineStarts[index] + 1);
    }
}
