using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Verify.Checker.Documents;

/// <summary>
/// Reads YAML with YamlDotNet's representation model, which keeps each node's start position, and
/// resolves plain scalars with the YAML 1.2 core schema (so <c>I: 1</c> is a number and <c>I: "1"</c> a string).
/// </summary>
internal static partial class YamlDocReader
{
    public static DocNode Read(string text, string file)
    {
        // YamlStream builds its tree recursively, and a deep enough nesting overflows the stack, which kills the
        // process: measure the nesting on the parser's flat event stream first (which also finds syntax errors).
        Parse(text, file, parser => CheckNesting(parser, file));
        var stream = new YamlStream();
        Parse(text, file, stream.Load);
        if (stream.Documents.Count == 0) throw DocReader.Empty(file);
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode;
            throw new InputException($"{SourceLocation.At(file, (int)second.Start.Line, (int)second.Start.Column)}: the file holds {stream.Documents.Count} YAML documents; a trace or spec is one document");
        }
        return Convert(stream.Documents[0].RootNode, file);
    }

    /// <summary>Runs <paramref name="read"/> on a parser of the text, turning YamlDotNet's failures into messages with a position.</summary>
    private static void Parse(string text, string file, Action<IParser> read)
    {
        var scanner = new Scanner(new StringReader(text));
        try
        {
            read(new Parser(scanner));
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Trim();
            throw new InputException($"{SourceLocation.At(file, (int)e.Start.Line, (int)e.Start.Column)}: malformed YAML: {reason}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up on some malformed flow collections without a YamlException;
            // where it stopped reading is the best position there is.
            var at = scanner.CurrentPosition;
            throw new InputException($"{SourceLocation.At(file, (int)at.Line, (int)at.Column)}: malformed YAML: " +
                                     "the parser stopped here; a common cause is an unclosed '{' or '['");
        }
    }

    private static void CheckNesting(IParser parser, string file)
    {
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    if (++depth > DocReader.MaxNesting)
                        throw DocReader.TooDeep(file, (int)parser.Current.Start.Line, (int)parser.Current.Start.Column);
                    break;
                case MappingEnd or SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    private static DocNode Convert(YamlNode node, string file)
    {
        var line = (int)node.Start.Line;
        var col = (int)node.Start.Column;
        switch (node)
        {
            case YamlMappingNode map:
            {
                var entries = new List<KeyValuePair<DocScalar, DocNode>>();
                foreach (var (k, v) in map.Children)
                {
                    if (Convert(k, file) is not DocScalar key)
                        throw new InputException($"{SourceLocation.At(file, (int)k.Start.Line, (int)k.Start.Column)}: a key must be a plain word, not a list or an object");
                    if (entries.Any(e => e.Key.Text == key.Text))
                        throw new InputException($"{SourceLocation.At(file, key)}: the key '{key.Text}' appears twice in one object");
                    entries.Add(new(key, Convert(v, file)));
                }
                return new DocMap(entries, line, col);
            }
            case YamlSequenceNode seq:
                return new DocSeq(seq.Children.Select(c => Convert(c, file)).ToList(), line, col);
            case YamlScalarNode s:
                return new DocScalar(Resolve(s), s.Value ?? "", line, col);
            default:
                throw new InputException($"{SourceLocation.At(file, line, col)}: YAML aliases are not supported in traces or specs");
        }
    }

    private static ScalarKind Resolve(YamlScalarNode s)
    {
        if (s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return ScalarKind.String;
        var v = s.Value ?? "";
        if (v is "" or "~" or "null" or "Null" or "NULL") return ScalarKind.Null;
        if (v is "true" or "True" or "TRUE" or "false" or "False" or "FALSE") return ScalarKind.Bool;
        if (IntPattern().IsMatch(v)) return ScalarKind.Integer;
        if (FloatPattern().IsMatch(v)) return ScalarKind.Float;
        return ScalarKind.String;
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
