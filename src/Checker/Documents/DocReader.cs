namespace Verify.Checker.Documents;

/// <summary>Reads a trace or spec file as JSON or YAML: by extension, else by its first character.</summary>
internal static class DocReader
{
    public static DocNode ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot read the file: {e.Message}");
        }
        return Read(text, path);
    }

    /// <summary><paramref name="name"/> is used in messages and, by its extension, to choose the format.</summary>
    public static DocNode Read(string text, string name)
    {
        if (string.IsNullOrWhiteSpace(text)) throw Empty(name);
        var ext = Path.GetExtension(name).ToLowerInvariant();
        var json = ext switch
        {
            ".json" => true,
            ".yaml" or ".yml" => false,
            // JSON documents start with '[' or '{'; YAML flow style does too, and JSON's errors are the clearer ones.
            _ => text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n') is ['[' or '{', ..],
        };
        return json ? JsonDocReader.Read(text, name) : YamlDocReader.Read(text, name);
    }

    /// <summary>A file with no document (blank, or only YAML comments).</summary>
    public static InputException Empty(string file) =>
        new($"{file}: the file is empty: a trace is a list of steps, or an object with a 'steps' list; a spec is an object");
}
