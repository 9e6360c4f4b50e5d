using System.Text;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;

namespace Verify.Tests.Reliability;

/// <summary>A file the fuzzer feeds to Verify: its name (the extension chooses JSON or YAML), its bytes, and how it was made.</summary>
/// <param name="Valid">made by a transformation that keeps a valid file valid: Verify must accept it</param>
public sealed record FuzzFile(string Name, byte[] Content, string Origin, string Mutation, bool Valid)
{
    public override string ToString()
    {
        var text = Encoding.UTF8.GetString(Content);
        var shown = text.Length > 600 ? text[..600] + $"... ({Content.Length:N0} bytes)" : text;
        return $"{Mutation} of {Origin} as {Name} (valid: {Valid}):\n{shown}";
    }
}

/// <summary>
/// FsCheck generators of malformed and adversarial input files: mutations of valid files (byte flips, truncation,
/// line edits, key renames, type swaps, huge numbers, deep nesting, unicode, YAML features, size) and
/// transformations that keep them valid (JSON form, comments, key order).
/// </summary>
public static partial class Mutations
{
    /// <summary>Values a scalar may be swapped for: other types, edge numbers, YAML's special words.</summary>
    private static readonly string[] Replacements =
    [
        "[]", "{}", "[a, b]", "{x: 1}", "null", "~", "true", "false", "\"str\"", "''", "1.5", "-1", "0", "1e309", "-1e309", ".inf", "-.inf", ".nan",
        "0x10", "0o17", "99999999999999999999", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "1_000", "+5", "007",
        "!!binary aGVsbG8=", "!!str 5", "!!int x", "*nope", "&a 1", "|\n  block", ">\n  folded", "\"\\u0000\"", "\"\\ud800\"", "@", "`", "%",
    ];

    private static readonly string[] HugeNumbers =
    [
        "2147483647", "2147483648", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999999999", "1e308", "1e309", "-0", "0", "-1", "65", "64", "257", "100000", "1000000000",
    ];

    /// <summary>Text that is hard on parsers and on messages: control characters, BOMs, bidi overrides, emoji, combining marks.</summary>
    private static readonly string[] Unicode =
    [
        "\u0000", "\u0001", "\u0007", "\u001b[31m", "\uFEFF", "\u202E", "\u200B", "\u00A0", "\u2028", "\u2029", "\uFFFD", "\uFFFE",
        "😀", "e\u0301", "ｉｍｐｏｒｔ", "імпорт", "中文", "\r", "\r\n", "\t", "\\", "\"", "'", "#", ": ", "- ", "{", "}", "[", "]", ",",
    ];

    /// <summary>Raw byte sequences that are not valid UTF-8 (lone surrogates, overlong forms, stray continuation bytes).</summary>
    private static readonly byte[][] BadUtf8 = [[0xED, 0xA0, 0x80], [0xC0, 0xAF], [0x80], [0xFF, 0xFE], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE2, 0x82]];

    private static readonly string[] YamlFeatures =
    [
        "%YAML 1.1\n---\n", "---\n", "...\n", "--- !!map\n", "a: &x [1]\nb: *x\n", "<<: {a: 1}\n", "? [complex, key]\n: v\n", "!!python/object:os.system x\n",
        "\t- tab\n", "key: value\n---\nsecond: doc\n", "*alias\n", "&anchor\n", "!tag\n", "@reserved\n",
    ];

    private static readonly string[] Names = ["f.yaml", "f.yml", "f.json", "f.txt", "f"];

    public static Gen<FuzzFile> Of(IReadOnlyList<(string Name, string Text)> corpus) =>
        Gen.Choose(0, corpus.Count - 1).SelectMany(i => Mutate(corpus[i].Name, corpus[i].Text));

    private static Gen<FuzzFile> Mutate(string origin, string text)
    {
        var ext = Path.GetExtension(origin);
        FuzzFile File(string mutation, byte[] content, string? name = null, bool valid = false) =>
            new(name ?? "f" + ext, content, origin, mutation, valid);
        FuzzFile Text(string mutation, string content, string? name = null, bool valid = false) =>
            File(mutation, Encoding.UTF8.GetBytes(content), name, valid);
        var bytes = Encoding.UTF8.GetBytes(text);
        var lines = text.Split('\n');

        return Gen.Frequency(
            (2, Gen.Constant(Text("unchanged", text, valid: true))),
            (2, Gen.Constant(0).Select(_ => Text("as JSON", DocJson.ToJson(text, origin), "f.json", valid: true))),
            // At the start or the end: inside a block scalar a comment line would be text, or end it.
            (2, Gen.Elements(0, lines.Length).Select(k => Text($"comment line {k}", string.Join('\n', lines.Take(k).Append("# a comment: with [brackets] and 'quotes'").Concat(lines.Skip(k))), valid: ext != ".json"))),
            (2, Gen.Constant(0).Select(_ => Text("keys reversed, as JSON", DocJson.ToJson(text, origin, reverse: true), "f.json", valid: true))),
            (8, FlipBytes(bytes).Select(b => File("byte flips", b))),
            (6, Gen.Choose(0, Math.Max(0, bytes.Length - 1)).Select(n => File($"truncated at {n}", bytes[..n]))),
            (4, Gen.Choose(0, lines.Length - 1).Select(k => Text($"line {k + 1} deleted", string.Join('\n', lines.Where((_, j) => j != k))))),
            (3, Gen.Choose(0, lines.Length - 1).Select(k => Text($"line {k + 1} twice", string.Join('\n', lines.Take(k + 1).Append(lines[k]).Concat(lines.Skip(k + 1)))))),
            (3, Gen.Choose(0, lines.Length - 1).SelectMany(a => Gen.Choose(0, lines.Length - 1).Select(b => Text($"lines {a + 1} and {b + 1} swapped", Swap(lines, a, b))))),
            (8, RenameKey(text).Select(t => Text("key renamed", t))),
            (10, SwapValue(text, Replacements).Select(t => Text("value swapped", t))),
            (6, SwapNumber(text).Select(t => Text("huge number", t))),
            (4, DeepNesting(text).Select(t => Text("deep nesting", t.Text, t.Name))),
            (6, InsertUnicode(text).Select(t => Text("unicode", t))),
            (3, InsertBadUtf8(bytes).Select(b => File("invalid UTF-8", b))),
            (3, Gen.Elements(YamlFeatures).SelectMany(f => Gen.Choose(0, lines.Length).Select(k =>
                Text("YAML feature", string.Join('\n', lines.Take(k).Append(f.TrimEnd('\n')).Concat(lines.Skip(k))))))),
            (3, Gen.Elements("", " ", "\n\n", "\uFEFF", "# only a comment\n", "---\n", "...", "null", "~", "[]", "{}", "0", "\"text\"", "- ")
                .SelectMany(e => Gen.Elements(Names).Select(n => Text("empty or trivial", e, n)))),
            (1, Large(text, origin).Select(t => Text("very large", t))),
            (2, Gen.Elements(Names).Select(n => Text($"renamed to {n}", text, n))),
            (3, Gen.Choose(0, Math.Max(0, text.Length - 1)).SelectMany(at => Gen.Choose(1, 40).Select(len =>
                Text("chunk duplicated", text[..at] + text.Substring(at, Math.Min(len, text.Length - at)) + text[at..]))))
        );
    }

    private static Gen<byte[]> FlipBytes(byte[] bytes) =>
        Gen.Choose(1, 4).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, Math.Max(0, bytes.Length - 1)).SelectMany(pos => Gen.Choose(0, 255).Select(x => (pos, x))), n))
            .Select(flips =>
            {
                var copy = (byte[])bytes.Clone();
                foreach (var (pos, x) in flips)
                    if (pos < copy.Length) copy[pos] ^= (byte)(x == 0 ? 1 : x);
                return copy;
            });

    private static string Swap(string[] lines, int a, int b)
    {
        var copy = (string[])lines.Clone();
        (copy[a], copy[b]) = (copy[b], copy[a]);
        return string.Join('\n', copy);
    }

    [GeneratedRegex(@"""?([A-Za-z_][\w-]*)""?\s*:")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"(:\s*)([^\s\[\]{},#][^,\]}\n#]*)")]
    private static partial Regex ScalarValuePattern();

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex NumberPattern();

    private static readonly string[] KnownWords =
    [
        "op", "I", "mod", "mode", "steps", "semantics", "spec", "description", "slots", "interpreters", "properties", "depth", "modules", "operations",
        "random", "runs", "length", "swarm", "weights", "catalogue", "globals", "defs", "name", "style", "m_size", "per_interpreter_gil", "values",
        "def", "origin", "path", "import", "finalize", "new_interp", "legacy", "isolated", "any", "all",
    ];

    /// <summary>One key renamed: a typo, another key of the format, another case, a homoglyph, or nothing.</summary>
    private static Gen<string> RenameKey(string text)
    {
        var keys = KeyPattern().Matches(text).Cast<Match>().ToList();
        if (keys.Count == 0) return Gen.Constant(text);
        return Gen.Choose(0, keys.Count - 1).SelectMany(k => Gen.Choose(0, 5).SelectMany(how => Gen.Elements(KnownWords).Select(other =>
        {
            var g = keys[k].Groups[1];
            var name = g.Value;
            var renamed = how switch
            {
                0 => name.Length > 1 ? name[1..] : "x",
                1 => name + name[^1],
                2 => other,
                3 => name.ToUpperInvariant(),
                4 => name.Replace('o', 'о').Replace('a', 'а').Replace('e', 'е'), // Cyrillic look-alikes
                _ => "",
            };
            return text[..g.Index] + renamed + text[(g.Index + g.Length)..];
        })));
    }

    private static Gen<string> SwapValue(string text, string[] replacements)
    {
        var values = ScalarValuePattern().Matches(text).Cast<Match>().ToList();
        if (values.Count == 0) return Gen.Elements(replacements);
        return Gen.Choose(0, values.Count - 1).SelectMany(k => Gen.Elements(replacements).Select(r =>
        {
            var g = values[k].Groups[2];
            return text[..g.Index] + r + text[(g.Index + g.Length)..];
        }));
    }

    private static Gen<string> SwapNumber(string text)
    {
        var numbers = NumberPattern().Matches(text).Cast<Match>().ToList();
        if (numbers.Count == 0) return SwapValue(text, HugeNumbers);
        return Gen.Choose(0, numbers.Count - 1).SelectMany(k => Gen.Elements(HugeNumbers).Select(r =>
            text[..numbers[k].Index] + r + text[(numbers[k].Index + numbers[k].Length)..]));
    }

    /// <summary>Nesting from a few levels to far more than any parser's recursion survives, in flow and block style.</summary>
    private static Gen<(string Text, string Name)> DeepNesting(string text) =>
        Gen.Elements(3, 63, 64, 65, 100, 1000, 10000, 100000).SelectMany(depth => Gen.Choose(0, 4).Select(style => style switch
        {
            0 => (new string('[', depth) + new string(']', depth), "f.json"),
            1 => (new string('[', depth) + new string(']', depth), "f.yaml"),
            2 => (string.Concat(Enumerable.Repeat("- ", depth)) + "x\n", "f.yaml"),
            3 => (string.Concat(Enumerable.Repeat("{a: ", depth)) + "1" + new string('}', depth), "f.yaml"),
            _ => ("steps: " + new string('[', depth) + new string(']', depth) + "\n" + text, "f.yaml"),
        }));

    private static Gen<string> InsertUnicode(string text) =>
        Gen.Choose(0, text.Length).SelectMany(at => Gen.Elements(Unicode).SelectMany(u => Gen.Choose(1, 3).Select(n =>
            text[..at] + string.Concat(Enumerable.Repeat(u, n)) + text[at..])));

    private static Gen<byte[]> InsertBadUtf8(byte[] bytes) =>
        Gen.Choose(0, bytes.Length).SelectMany(at => Gen.Elements(BadUtf8).Select(bad => (byte[])[.. bytes[..at], .. bad, .. bytes[at..]]));

    /// <summary>
    /// A big file: a long string value, many comment lines, or many copies of a list entry (steps, modules). Sizes stay
    /// around 25 to 100 KB so that CI time stays small; the size limit itself has its own test (ReliabilityTests).
    /// </summary>
    private static Gen<string> Large(string text, string origin) =>
        Gen.Choose(0, 2).Select(kind => kind switch
        {
            0 => "description: \"" + new string('x', 100_000) + "\"\n" + text,
            1 => text + "\n" + string.Concat(Enumerable.Repeat("# padding comment line\n", 4000)),
            _ => origin.Contains("trace") || text.Contains("steps")
                ? "steps:\n" + string.Concat(Enumerable.Repeat("  - {op: import, I: 0, mod: _testsinglephase}\n", 500))
                : "slots: 1\nmodules: [" + string.Join(", ", Enumerable.Repeat("_testsinglephase", 2000)) + "]\n",
        });
}
