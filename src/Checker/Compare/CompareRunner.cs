using Verify.Checker.Commands;
using Verify.Checker.Explore;
using Verify.Checker.Random;
using Verify.Checker.Reports;
using Verify.Model;

namespace Verify.Checker.Compare;

/// <summary>
/// The comparison: the exhaustive search of every semantics on the spec's bounds (the matrix), then the costs of each
/// fix strategy as behaviour changes against the baseline on one shared set of traces.
/// </summary>
internal static class CompareRunner
{
    /// <param name="onSemantics">called before each search (for a progress line); may be null</param>
    public static Comparison Run(CompareSettings settings, CheckCommand.Search search, CancellationToken cancel,
        Func<Semantics, Action<ExploreProgress>?>? onSemantics = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var rows = new List<SemanticsRun>();
        foreach (var semantics in settings.Semantics)
        {
            var config = settings.Spec.ConfigurationFor(semantics);
            var options = settings.Search with { Cancel = cancel };
            if (onSemantics?.Invoke(semantics) is { } report) options = options with { OnProgress = report };
            var result = search(config, options);
            var saved = result.Verdicts
                .Select(v => CheckWords.HasTrace(v)
                    ? OutputFolder.Write(() => FindingFiles.Save(settings.OutDir, Folder, settings.Spec, config, v, FoundBy(settings, v)), settings.OutDir)
                    : null)
                .ToList();
            rows.Add(new SemanticsRun(result, saved));
        }
        var searchTime = clock.Elapsed;
        clock.Restart();
        var costs = cancel.IsCancellationRequested ? [] : Costs(settings, cancel);
        return new Comparison(settings, rows, costs) { SearchTime = searchTime, CostTime = clock.Elapsed };
    }

    /// <summary>The folder under --out that holds the comparison's traces and reports.</summary>
    public const string Folder = "compare";

    private static FoundBy FoundBy(CompareSettings settings, PropertyVerdict v) => new(
        $"verify compare on {settings.Spec.Source}, shortest trace: {CheckWords.Steps(v.Trace!.Length)}",
        $"Shortest trace: {CheckWords.Steps(v.Trace!.Length)}, found by `verify compare` on {settings.Spec.Source}");

    /// <summary>
    /// The shared traces: drawn on the baseline (so each is valid there) with the spec's random weights and swarm
    /// setting, trace k from its own seed, as <c>verify random</c> draws its runs.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Model.Action>> Traces(CompareSettings settings)
    {
        var config = settings.Spec.ConfigurationFor(settings.Baseline);
        var weights = settings.Spec.Random.Weights;
        var plans = TraceGenerator.Plans(config, weights, settings.Length, settings.Spec.Random.Swarm);
        var traces = new List<IReadOnlyList<Model.Action>>(settings.Traces);
        for (var k = 0; k < settings.Traces; k++)
        {
            var plan = TraceGenerator.Draw(plans, RandomSearch.RunSeed(settings.Seed, k), settings.Length);
            traces.Add(TraceGenerator.Play(config, weights, plan).Actions);
        }
        return traces;
    }

    public static IReadOnlyList<StrategyCost> Costs(CompareSettings settings, CancellationToken cancel)
    {
        var traces = Traces(settings);
        var baseline = settings.Spec.ConfigurationFor(settings.Baseline);
        var costs = new List<StrategyCost>();
        foreach (var strategy in settings.Semantics.Where(s => s.IsFixStrategy))
        {
            var config = settings.Spec.ConfigurationFor(strategy);
            var counts = new int[CostKinds.All.Count];
            var shortest = new (IReadOnlyList<Model.Action>? Steps, string? What)[CostKinds.All.Count];
            var (compared, diverged) = (0, 0);
            foreach (var trace in traces)
            {
                if (cancel.IsCancellationRequested) break;
                var r = CostProbe.Compare(baseline, config, trace);
                compared++;
                if (r.Diverged) diverged++;
                foreach (var hit in r.Hits)
                {
                    var k = (int)hit.Kind;
                    counts[k]++;
                    if (shortest[k].Steps is null || hit.Step + 1 < shortest[k].Steps!.Count)
                        shortest[k] = (trace.Take(hit.Step + 1).ToList(), hit.What);
                }
            }
            for (var k = 0; k < shortest.Length; k++)
                if (shortest[k].Steps is { } steps) shortest[k] = Shrink(baseline, config, (CostKind)k, steps, shortest[k].What!);
            var cells = CostKinds.All.Select(k => new CostCell(k, counts[(int)k], shortest[(int)k].Steps, shortest[(int)k].What)).ToList();
            costs.Add(new StrategyCost(strategy, cells, compared, diverged));
        }
        return costs;
    }

    /// <summary>
    /// The example of a change, made 1-minimal: steps are dropped, last first, while the trace stays valid under the baseline
    /// and still shows the change (at its last step: a longer prefix is never kept). Deterministic, and never loses the
    /// change, since a candidate replaces the example only when it shows it.
    /// </summary>
    /// <param name="what">what the change was on <paramref name="steps"/> (its <see cref="CostHit.What"/>)</param>
    public static (IReadOnlyList<Model.Action> Steps, string What) Shrink(Configuration baseline, Configuration strategy, CostKind kind,
        IReadOnlyList<Model.Action> steps, string what)
    {
        var best = steps.ToList();
        for (var progress = true; progress;)
        {
            progress = false;
            for (var i = best.Count - 1; i >= 0 && !progress; i--)
            {
                var candidate = best.Where((_, k) => k != i).ToList();
                if (!CostProbe.ValidOn(baseline, candidate)) continue;
                var hit = CostProbe.Compare(baseline, strategy, candidate).Hits.FirstOrDefault(h => h.Kind == kind);
                if (hit is null) continue;
                (best, what, progress) = (candidate.Take(hit.Step + 1).ToList(), hit.What, true);
            }
        }
        return (best, what);
    }
}
