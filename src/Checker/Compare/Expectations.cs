using Verify.Checker.Documents;
using Verify.Checker.Explore;
using Verify.Checker.Text;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Compare;

/// <summary>One expected cell: the verdict, the shortest length where it has one, and why (from the semantics document or the strategy's design).</summary>
internal sealed record ExpectedCell(string Semantics, string Property, string Verdict, int? Length, string Reason, string Where);

/// <summary>
/// specs/expectations.yaml: the expected verdict of every cell of the comparison, each with a one-line reason. A
/// comparison is checked against it cell by cell: a different verdict or length, or a cell with no expectation, is a
/// disagreement. "holds" is met by a complete search that finds nothing, to the fixpoint or to the spec's depth bound.
/// </summary>
internal sealed class Expectations
{
    public string Source { get; }
    public IReadOnlyList<ExpectedCell> Cells { get; }

    private Expectations(string source, IReadOnlyList<ExpectedCell> cells) => (Source, Cells) = (source, cells);

    public static readonly IReadOnlyList<string> Verdicts = ["holds", "violated", "witnessed", "never_witnessed"];
    private static readonly IReadOnlyList<string> TopKeys = ["description", "cells"];
    private static readonly IReadOnlyList<string> CellKeys = ["verdict", "length", "reason"];

    public static Expectations Load(string path) => Parse(DocReader.ReadFile(path), path);

    public static Expectations Parse(DocNode root, string file)
    {
        var top = new DocFields(root, file, "the expectations", TopKeys);
        var cellsNode = top.Required("cells") as DocMap
            ?? throw new InputException($"{SourceLocation.At(file, top.Required("cells"))}: 'cells' must map each semantics name to its properties");
        var cells = new List<ExpectedCell>();
        var names = IsolationProperties.All.Select(p => p.Name).ToList();
        foreach (var (semKey, props) in cellsNode.Entries)
        {
            if (SemanticsRegistry.Find(semKey.Text) is null)
                throw new InputException($"{SourceLocation.At(file, semKey)}: unknown semantics '{semKey.Text}'.{Suggestions.DidYouMean(semKey.Text, SemanticsRegistry.Names)} Known: {Suggestions.List(SemanticsRegistry.Names)}");
            var propMap = props as DocMap
                ?? throw new InputException($"{SourceLocation.At(file, props)}: '{semKey.Text}' must map property names to expected cells, not {props.Describe()}");
            foreach (var (propKey, cell) in propMap.Entries)
            {
                if (IsolationProperties.Find(propKey.Text) is null)
                    throw new InputException($"{SourceLocation.At(file, propKey)}: unknown property '{propKey.Text}'.{Suggestions.DidYouMean(propKey.Text, names)} Properties: {Suggestions.List(names)}");
                var what = $"the expectation of {semKey.Text} / {propKey.Text}";
                var f = new DocFields(cell, file, what, CellKeys);
                var verdict = f.Choice("verdict", Verdicts);
                var length = f.OptionalInt("length");
                if (length is <= 0) throw new InputException($"{SourceLocation.At(file, f.Node("length")!)}: 'length' of {what} must be a positive number of steps");
                if (length is not null && verdict is "holds" or "never_witnessed")
                    throw new InputException($"{SourceLocation.At(file, f.Node("length")!)}: {what} is '{verdict}', which has no trace: remove 'length'");
                var reason = f.String("reason");
                if (string.IsNullOrWhiteSpace(reason)) throw new InputException($"{SourceLocation.At(file, f.Node("reason")!)}: {what} needs a reason");
                cells.Add(new ExpectedCell(SemanticsRegistry.Find(semKey.Text)!.Name, propKey.Text, verdict, length, reason, SourceLocation.At(file, cell)));
            }
        }
        return new Expectations(file, cells);
    }

    /// <summary>Every cell of <paramref name="c"/> that disagrees with its expectation or has none, as a line each.</summary>
    public IReadOnlyList<string> Disagreements(Comparison c)
    {
        var lines = new List<string>();
        var byCell = Cells.ToDictionary(x => (x.Semantics, x.Property));
        foreach (var row in c.Rows)
            foreach (var v in row.Result.Verdicts)
            {
                var key = (row.Semantics.Name, v.Property.Name);
                var actual = Word(v);
                var length = v.Trace?.Length;
                if (!byCell.TryGetValue(key, out var e))
                {
                    lines.Add($"no expectation for {key.Item1} / {key.Item2} (the checker says {actual}{(length is { } n ? $" in {n}" : "")})");
                    continue;
                }
                if (e.Verdict != actual || (e.Length is { } want && want != length))
                    lines.Add($"{e.Where}: {key.Item1} / {key.Item2}: expected {e.Verdict}{(e.Length is { } l ? $" in {l}" : "")} ({e.Reason}); " +
                              $"the checker says {actual}{(length is { } n2 ? $" in {n2}" : "")}");
            }
        return lines;
    }

    /// <summary>A verdict in the expectations' words; an incomplete search is "incomplete", which no expectation accepts.</summary>
    public static string Word(PropertyVerdict v) => v.Verdict switch
    {
        Verdict.Holds or Verdict.HoldsWithinDepth => "holds",
        Verdict.Violated => "violated",
        Verdict.Witnessed => "witnessed",
        Verdict.NeverWitnessed => "never_witnessed",
        _ => "incomplete",
    };
}
