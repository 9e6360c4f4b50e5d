using Verify.Checker.Reports;

namespace Verify.Checker.Compare;

/// <summary>The console report of <c>verify compare</c>: the matrix, the costs, where the files are.</summary>
internal static class CompareText
{
    public static void Render(Comparison c, TextWriter w)
    {
        var s = c.Settings;
        w.WriteLine($"compare: {s.Semantics.Count} semantics x {s.Search.Properties.Count} properties on {s.Spec.Source}" +
                    (s.Search.MaxDepth is { } d ? $", traces of up to {d} steps" : ""));
        w.WriteLine();
        TextTable.Write(CompareTables.Matrix(c), w, underline: true);
        w.WriteLine();
        w.WriteLine(CompareCells.Legend(s.Search.MaxDepth));
        if (c.Costs.Count > 0)
        {
            w.WriteLine();
            w.WriteLine($"cost against {s.Baseline.Name}: traces (of {c.Costs[0].Compared}, {s.Length} steps each, seed {s.Seed}) whose behaviour changes, and the shortest change");
            w.WriteLine();
            TextTable.Write(CompareTables.Costs(c), w, underline: true);
        }
        w.WriteLine();
        w.WriteLine($"time: searches {c.SearchTime.TotalSeconds:0.0} s, costs {c.CostTime.TotalSeconds:0.0} s");
    }

    public static void Footer(Comparison c, TextWriter w)
    {
        var dir = c.Settings.OutDir;
        w.WriteLine($"written: {Path.Combine(dir, CompareFiles.Html)} (open it in a browser), {Path.Combine(dir, CompareFiles.Markdown)}, " +
                    $"{Path.Combine(dir, CompareFiles.Json)}, traces under {Path.Combine(dir, CompareRunner.Folder)}/");
        w.WriteLine(c.Complete ? "result: complete (exit 0)" : $"result: INCOMPLETE (exit {ExitCodes.Incomplete}): a limit or an interruption cut a search short");
    }
}

/// <summary>The two tables every report shows, as rows of cells (header first).</summary>
internal static class CompareTables
{
    public static IReadOnlyList<IReadOnlyList<string>> Matrix(Comparison c)
    {
        var rows = new List<IReadOnlyList<string>> { Header("property", c) };
        var properties = c.Settings.Search.Properties;
        for (var p = 0; p < properties.Count; p++)
        {
            var row = new List<string> { properties[p].Name };
            foreach (var run in c.Rows) row.Add(CompareCells.Verdict(run.Result.Verdicts[p], c.Settings.Search.MaxDepth));
            rows.Add(row);
        }
        return rows;
    }

    public static IReadOnlyList<IReadOnlyList<string>> Costs(Comparison c)
    {
        var rows = new List<IReadOnlyList<string>> { (IReadOnlyList<string>)["change", .. c.Costs.Select(x => CompareCells.Column(x.Strategy))] };
        foreach (var kind in CostKinds.All)
            rows.Add([CostKinds.Title(kind), .. c.Costs.Select(x => CompareCells.Cost(x[kind], x.Compared))]);
        rows.Add(["traces that part", .. c.Costs.Select(x => x.Diverged == 0 ? "-" : $"{x.Diverged}/{x.Compared}")]);
        return rows;
    }

    private static List<string> Header(string first, Comparison c) => [first, .. c.Rows.Select(r => CompareCells.Column(r.Semantics))];
}
