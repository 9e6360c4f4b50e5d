using System.Globalization;
using System.Text.Json.Nodes;
using Verify.Checker.Random;
using Verify.Checker.Specs;
using Verify.Model;

namespace Verify.Checker.Reports;

/// <summary>What <c>verify random</c> was asked to do: the spec with the command line's overrides applied.</summary>
internal sealed record RandomSettings(SpecFile Spec, IReadOnlyList<Semantics> Semantics, RandomOptions Options, string OutDir)
{
    /// <summary>Where the random command's traces and result.json go, inside the output folder.</summary>
    public const string Subdir = "random";
}

/// <summary>One semantics' random runs and, per verdict, the files saved for its shrunk trace.</summary>
internal sealed record RandomSemanticsRun(RandomResult Result, IReadOnlyList<SavedFinding?> Saved);

/// <summary>The console report of <c>verify random</c> (plain text, for terminals and pipes alike) and its JSON.</summary>
internal static class RandomReport
{
    public static string SeedText(ulong seed) => seed.ToString(CultureInfo.InvariantCulture);

    public static void Header(RandomSettings s, TextWriter w)
    {
        var o = s.Options;
        w.WriteLine($"random {s.Spec.Source}: seed {SeedText(o.Seed)}, {o.Runs:N0} runs of up to {CheckWords.Steps(o.Length)}, swarm {(o.Swarm ? "on" : "off")}; " +
                    $"main and {s.Spec.Slots} subinterpreter slot{(s.Spec.Slots == 1 ? "" : "s")} ({s.Spec.SlotText}); " +
                    $"{o.Properties.Count} properties under {string.Join(", ", s.Semantics.Select(x => x.Name))}");
        var kinds = s.Semantics.Count > 0 ? TraceGenerator.Kinds(s.Spec.ConfigurationFor(s.Semantics[0])) : [];
        w.WriteLine($"weights: {o.Weights.Describe(kinds)}");
    }

    public static void Run(RandomSemanticsRun run, RandomSettings settings, TextWriter w)
    {
        var r = run.Result;
        var st = r.Stats;
        var violated = r.Verdicts.Count(v => v.Kind == RandomVerdictKind.Violated);
        w.WriteLine();
        w.WriteLine($"{r.Config.Semantics.Name}: {(violated == 0 ? "no violation" : $"{violated} propert{(violated == 1 ? "y" : "ies")} violated")} " +
                    $"in {st.Runs:N0} run{(st.Runs == 1 ? "" : "s")} ({st.Steps:N0} steps, {st.SearchTime.TotalSeconds:0.###} s, {st.StepsPerSecond:N0} steps/s; " +
                    $"shrinking {st.ShrinkTime.TotalSeconds:0.###} s){StopNote(st)}");
        var width = r.Verdicts.Select(v => v.Property.Name.Length).DefaultIfEmpty(0).Max();
        for (var k = 0; k < r.Verdicts.Count; k++)
        {
            var v = r.Verdicts[k];
            var line = $"  {Word(v.Kind),-13} {v.Property.Name.PadRight(width)}";
            if (v.Finding is { } f)
                line += $"  {CheckWords.Steps(f.Shrunk.Trace.Length),-8} first in run {f.FirstRun + 1}; {f.RunsShowing:N0} runs showed it, {f.Shrinks} shrunk ({f.Replays:N0} replays)";
            w.WriteLine(line.TrimEnd());
        }
        for (var k = 0; k < r.Verdicts.Count; k++)
        {
            var v = r.Verdicts[k];
            if (v.Kind != RandomVerdictKind.Violated || v.Finding is not { } f) continue;
            var cx = f.Shrunk.Trace;
            w.WriteLine();
            w.WriteLine($"  {v.Property.Name} under {r.Config.Semantics.Name}: {CheckWords.Steps(cx.Length)} (1-minimal), shrunk from run {f.Run + 1} of seed {SeedText(settings.Options.Seed)} " +
                        $"(that run alone: --seed {SeedText(f.RunSeed)} --runs 1; it showed it at step {f.StepInRun} of {f.RunLength})");
            for (var i = 0; i < cx.Steps.Count; i++)
                w.WriteLine($"    {i + 1}. {ActionText.Describe(cx.Steps[i], r.Config.Catalogue)}");
            w.WriteLine($"    finding: {cx.Finding.Message}");
            if (run.Saved[k] is { } saved)
                w.WriteLine($"    replay:  verify replay {Path.Combine(settings.OutDir, saved.Trace)}");
        }
    }

    public static void Footer(IReadOnlyList<RandomSemanticsRun> runs, RandomSettings settings, TextWriter w)
    {
        w.WriteLine();
        w.WriteLine($"written: {Path.Combine(settings.OutDir, RandomSettings.Subdir, "result.json")}");
        var code = CheckOutcome.Worst(runs.Select(r => r.Result.ExitCode));
        w.WriteLine(code switch
        {
            ExitCodes.Violated => $"result: VIOLATED (exit 1); the same seed ({SeedText(settings.Options.Seed)}) gives the same runs on any machine",
            ExitCodes.Incomplete => "result: stopped before every run was done, nothing found in the runs done (exit 3)",
            _ => "result: no violation in any run (exit 0); random runs are evidence, not proof: 'verify check' proves within its bounds",
        });
    }

    private static string StopNote(RandomStats st) => st.Stop switch
    {
        RandomStop.MaxSeconds => "; STOPPED by --max-seconds",
        RandomStop.Cancelled => "; STOPPED by an interruption (Ctrl-C, SIGTERM)",
        _ => "",
    };

    public static string Word(RandomVerdictKind k) => k switch
    {
        RandomVerdictKind.Violated => "VIOLATED",
        RandomVerdictKind.NotFound => "no violation",
        RandomVerdictKind.Witnessed => "witnessed",
        _ => "not witnessed",
    };

    private static string JsonWord(RandomVerdictKind k) => k switch
    {
        RandomVerdictKind.Violated => "violated",
        RandomVerdictKind.NotFound => "not_found",
        RandomVerdictKind.Witnessed => "witnessed",
        _ => "not_witnessed",
    };

    private static string JsonStop(RandomStop s) => s switch
    {
        RandomStop.AllRuns => "all_runs",
        RandomStop.MaxSeconds => "max_seconds",
        _ => "cancelled",
    };

    /// <summary>result.json of a random command: snake_case, every key always present (null where it does not apply).</summary>
    /// <param name="interrupted">"SIGINT", "SIGTERM" or "cancelled" if the runs were interrupted, else null</param>
    public static string Json(IReadOnlyList<RandomSemanticsRun> runs, RandomSettings s, string? interrupted = null)
    {
        var o = s.Options;
        var json = new JsonObject
        {
            ["spec"] = s.Spec.Source,
            ["interpreters"] = ReportJson.Interpreters(s.Spec.SlotKinds),
            ["seed"] = SeedText(o.Seed),
            ["runs"] = o.Runs,
            ["length"] = o.Length,
            ["swarm"] = o.Swarm,
            ["shrinks"] = o.Shrinks,
            ["max_seconds"] = o.MaxSeconds,
            ["complete"] = runs.Count == s.Semantics.Count && runs.All(r => r.Result.Stats.Stop == RandomStop.AllRuns),
            ["interrupted"] = interrupted,
            ["exit_code"] = CheckOutcome.Worst(runs.Select(r => r.Result.ExitCode)),
            ["results"] = new JsonArray(runs.Select(r => (JsonNode)RunJson(r)).ToArray()),
        };
        return ReportJson.Render(json);
    }

    private static JsonObject RunJson(RandomSemanticsRun run)
    {
        var r = run.Result;
        var st = r.Stats;
        return new JsonObject
        {
            ["semantics"] = r.Config.Semantics.Name,
            ["exit_code"] = r.ExitCode,
            ["stats"] = new JsonObject
            {
                ["runs"] = st.Runs,
                ["steps"] = st.Steps,
                ["stop"] = JsonStop(st.Stop),
            },
            // Times live only in "timing" objects: without them, the same seed and options give the same bytes.
            ["timing"] = new JsonObject
            {
                ["search_seconds"] = Math.Round(st.SearchTime.TotalSeconds, 3),
                ["steps_per_second"] = Math.Round(st.StepsPerSecond),
                ["shrink_seconds"] = Math.Round(st.ShrinkTime.TotalSeconds, 3),
            },
            ["properties"] = new JsonArray(r.Verdicts.Select((v, k) => (JsonNode)new JsonObject
            {
                ["property"] = v.Property.Name,
                ["kind"] = CheckWords.Kind(v.Property.Kind),
                ["verdict"] = JsonWord(v.Kind),
                ["first_run"] = v.Finding is { } e ? e.FirstRun + 1 : null,
                ["runs_showing"] = v.Finding?.RunsShowing,
                ["shrinks"] = v.Finding?.Shrinks,
                ["run"] = v.Finding is { } f ? f.Run + 1 : null,
                ["run_seed"] = v.Finding is { } g ? SeedText(g.RunSeed) : null,
                ["run_length"] = v.Finding?.RunLength,
                ["step_in_run"] = v.Finding?.StepInRun,
                ["shrunk_length"] = v.Finding?.Shrunk.Trace.Length,
                ["shrink_replays"] = v.Finding?.Shrunk.Replays,
                ["all_shrinks_replays"] = v.Finding?.Replays,
                ["finding"] = v.Finding?.Shrunk.Trace.Finding.Message,
                ["trace"] = run.Saved[k]?.Trace,
                ["report"] = run.Saved[k]?.Report,
                ["timing"] = new JsonObject
                {
                    ["found_after_seconds"] = v.Finding is { } h ? Math.Round(h.FoundAfter.TotalSeconds, 4) : null,
                    ["shrink_seconds"] = v.Finding is { } i ? Math.Round(i.Shrunk.Elapsed.TotalSeconds, 4) : null,
                },
            }).ToArray()),
        };
    }
}
