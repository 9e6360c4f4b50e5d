using Verify.Checker.Text;

namespace Verify.Checker.Documents;

/// <summary>
/// Typed access to an object's keys for schema-checked files (specs): unknown keys, missing keys and
/// wrong types become <see cref="InputException"/>s naming file:line:col, the key, and what is expected.
/// </summary>
internal sealed class DocFields
{
    private readonly DocMap map;
    private readonly string file;
    private readonly string what;

    /// <param name="what">how the object is named in messages, e.g. "def 'x'" or "the spec"</param>
    public DocFields(DocNode node, string file, string what, IReadOnlyList<string> validKeys)
    {
        this.file = file;
        this.what = what;
        map = node as DocMap ?? throw new InputException($"{SourceLocation.At(file, node)}: {what} must be an object, not {node.Describe()}");
        foreach (var (key, _) in map.Entries)
            if (!validKeys.Contains(key.Text))
                throw new InputException($"{SourceLocation.At(file, key)}: unknown key '{key.Text}' in {what}.{Suggestions.DidYouMean(key.Text, validKeys)} Valid keys: {Suggestions.List(validKeys)}");
    }

    public DocMap Map => map;
    public DocNode? Node(string key) => map.Get(key);

    public DocNode Required(string key) =>
        map.Get(key) ?? throw new InputException($"{SourceLocation.At(file, map)}: {what} needs the key '{key}'");

    public string String(string key) => AsString(Required(key), key);

    public string? OptionalString(string key) => map.Get(key) is { } n ? AsString(n, key) : null;

    public int Int(string key) => AsInt(Required(key), key);

    public int? OptionalInt(string key) => map.Get(key) is { } n ? AsInt(n, key) : null;

    public bool? OptionalBool(string key) => map.Get(key) switch
    {
        null => null,
        DocScalar { Kind: ScalarKind.Bool } b => b.Text.Equals("true", StringComparison.OrdinalIgnoreCase),
        var n => throw new InputException($"{SourceLocation.At(file, n)}: '{key}' of {what} must be true or false, not {n.Describe()}"),
    };

    public IReadOnlyList<DocNode> List(string key, bool required = true)
    {
        var n = required ? Required(key) : map.Get(key);
        return n switch
        {
            null => [],
            DocSeq s => s.Items,
            _ => throw new InputException($"{SourceLocation.At(file, n)}: '{key}' of {what} must be a list, not {n.Describe()}"),
        };
    }

    /// <summary>A string that must be one of <paramref name="valid"/>.</summary>
    public string Choice(string key, IReadOnlyList<string> valid)
    {
        var n = Required(key);
        var s = AsString(n, key);
        if (!valid.Contains(s))
            throw new InputException($"{SourceLocation.At(file, n)}: '{key}' of {what} is '{s}'.{Suggestions.DidYouMean(s, valid)} Valid values: {Suggestions.List(valid)}");
        return s;
    }

    public string AsString(DocNode n, string key) => n is DocScalar { Kind: ScalarKind.String } s
        ? s.Text
        : throw new InputException($"{SourceLocation.At(file, n)}: '{key}' of {what} must be a string, not {n.Describe()}");

    private int AsInt(DocNode n, string key) => n is DocScalar s && s.TryInt(out var v)
        ? v
        : throw new InputException($"{SourceLocation.At(file, n)}: '{key}' of {what} must be an integer, not {n.Describe()}");
}
