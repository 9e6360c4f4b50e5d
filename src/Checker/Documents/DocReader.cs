namespace Verify.Checker.Documents;

/// <summary>Reads a trace or spec file as JSON or YAML: by extension, else by its first character.</summary>
internal static class DocReader
{
    /// <summary>The largest trace or spec Verify reads: far beyond any real one, well within memory.</summary>
    public const long MaxBytes = 64L << 20;

    public static DocNode ReadFile(string path)
    {
        string text;
        try
        {
            // A device or a huge file would otherwise be read whole before anything could complain.
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxBytes)
                throw new InputException($"{path}: the file is {info.Length:N0} bytes; Verify reads traces and specs of up to {MaxBytes >> 20} MiB");
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var name = path.Length == 0 ? "''" : path;
            throw new InputException($"{name}: cannot read the file: {e.Message.TrimEnd('.')}. Check the path");
        }
        if (text.Length > MaxBytes)
            throw new InputException($"{path}: the file is larger than {MaxBytes >> 20} MiB, the most Verify reads for a trace or spec");
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

    /// <summary>
    /// The deepest nesting of lists and objects a trace or spec may use (the same as System.Text.Json's default). A
    /// real one needs four or five levels; the bound keeps every recursive reader far from the end of the stack.
    /// </summary>
    public const int MaxNesting = 64;

    public static InputException TooDeep(string file, int line, int column) =>
        new($"{SourceLocation.At(file, line, column)}: lists and objects nest deeper than {MaxNesting} levels here; " +
            "a trace or spec needs only a few (a list of steps, each an object)");

    /// <summary>A file with no document (blank, or only YAML comments).</summary>
    public static InputException Empty(string file) =>
        new($"{file}: the file is empty: a trace is a list of steps, or an object with a 'steps' list; a spec is an object");
}
