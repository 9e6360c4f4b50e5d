using System.CommandLine;
using System.Globalization;
using Verify.Checker.Explore;
using Verify.Checker.Random;
using Verify.Checker.Reports;
using Verify.Checker.Specs;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>
/// <c>verify random [SPEC] [options]</c>: random runs drawn from a seed, every selected property judged along each,
/// each violation shrunk to a 1-minimal trace, printed with the seed and the command that replays it, and saved
/// under <c>OUT/random/</c> (trace files, Markdown reports, result.json). Exit code: 1 if a property is violated,
/// 3 if a limit stopped the runs first, else 0.
/// </summary>
internal static class RandomCommand
{
    public static Command Create(CliContext cli)
    {
        var spec = SpecArgument.Create();
        var semantics = new Option<string[]>("--semantics", "-s") { HelpName = "NAME", Description = "run under this semantics (repeatable); default: the spec's 'semantics'" };
        var property = new Option<string[]>("--property", "-p") { HelpName = "NAME", Description = "judge this property (repeatable); default: the spec's 'properties'" };
        var runs = new Option<int?>("--runs", "-n") { HelpName = "N", Description = $"runs per semantics (default: the spec's random.runs, else {RandomOptions.DefaultRuns})" };
        var length = new Option<int?>("--length", "-l") { HelpName = "N", Description = $"the most steps a run takes (default: the spec's random.length, else {RandomOptions.DefaultLength})" };
        var seed = new Option<string?>("--seed") { HelpName = "S", Description = "the seed (a number, decimal or 0x hex); default: a fresh one, printed" };
        var noSwarm = new Option<bool>("--no-swarm") { Description = "every run may use every op (default: each run leaves out a random subset)" };
        var shrinks = new Option<int?>("--shrinks") { HelpName = "N", Description = $"shrink up to N violating runs per property and keep the smallest trace (default {RandomOptions.DefaultShrinks})" };
        var maxSeconds = new Option<double?>("--max-seconds") { HelpName = "S", Description = "stop each semantics' runs after this many seconds" };
        var outDir = new Option<string>("--out", "-o") { HelpName = "DIR", Description = "where random/result.json, the shrunk traces and their reports go", DefaultValueFactory = _ => CheckCommand.DefaultOut };
        var json = new Option<bool>("--json") { Description = "print result.json to stdout instead of the summary" };

        var command = new Command("random", "Random runs of the model with every property judged; each violation shrunk to a minimal trace")
        {
            spec, semantics, property, runs, length, seed, noSwarm, shrinks, maxSeconds, outDir, json,
        };
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            var specFile = SpecArgument.Load(parse, spec);
            var options = new RandomOptions
            {
                Properties = parse.GetValue(property) is { Length: > 0 } props ? CheckCommand.ResolveProperties(props) : specFile.Properties,
                Runs = Positive(parse.GetValue(runs), "--runs", "a number of runs") ?? specFile.Random.Runs ?? RandomOptions.DefaultRuns,
                Length = Positive(parse.GetValue(length), "--length", "a number of steps") ?? specFile.Random.Length ?? RandomOptions.DefaultLength,
                Seed = parse.GetValue(seed) is { } text ? ParseSeed(text) : FreshSeed(),
                Weights = specFile.Random.Weights,
                Swarm = specFile.Random.Swarm && !parse.GetValue(noSwarm),
                Shrinks = Positive(parse.GetValue(shrinks), "--shrinks", "a number of violating runs to shrink per property") ?? RandomOptions.DefaultShrinks,
                MaxSeconds = parse.GetValue(maxSeconds) is { } s && !(s > 0 && double.IsFinite(s))
                    ? throw new InputException($"--max-seconds must be a positive number of seconds, such as 60 or 0.5, not {s.ToString(CultureInfo.InvariantCulture)}")
                    : parse.GetValue(maxSeconds),
            };
            var chosen = parse.GetValue(semantics) is { Length: > 0 } names ? CheckCommand.ResolveSemantics(names) : specFile.Semantics;
            return Run(cli, new RandomSettings(specFile, chosen, options, parse.GetValue(outDir)!), parse.GetValue(json));
        }));
        return command;
    }

    public static int Run(CliContext cli, RandomSettings settings, bool json)
    {
        // Path.Combine would quietly turn --out '' into ./random: say it is no folder, as check does.
        if (settings.OutDir.Length == 0)
            throw new InputException("--out '': cannot write the results there: an empty folder name. Pass another folder with --out DIR");
        var dir = Path.Combine(settings.OutDir, RandomSettings.Subdir);
        OutputFolder.Prepare(dir, settings.Semantics, settings.OutDir);
        if (!json) RandomReport.Header(settings, cli.Out);
        // Ctrl-C, SIGTERM or the caller's token end the runs early; what was found so far is still shrunk and written.
        using var stop = cli.Interruptible();
        var results = new List<RandomSemanticsRun>();
        foreach (var semantics in settings.Semantics)
        {
            var config = settings.Spec.ConfigurationFor(semantics);
            var progress = cli.ErrTerminal ? new ProgressLine(cli.Err, semantics.Name) : null;
            RandomResult result;
            try
            {
                var options = settings.Options with { Cancel = stop.Token };
                if (progress is not null)
                    options = options with { OnProgress = n => progress.Show($"{n:N0} of {settings.Options.Runs:N0} runs") };
                result = RandomSearch.Run(config, options);
            }
            finally
            {
                progress?.Clear();
            }
            var saved = result.Verdicts
                .Select(v => v.Kind == RandomVerdictKind.Violated ? OutputFolder.Write(() => Save(settings, config, v), settings.OutDir) : null)
                .ToList();
            var run = new RandomSemanticsRun(result, saved);
            results.Add(run);
            if (!json) RandomReport.Run(run, settings, cli.Out);
        }
        var report = RandomReport.Json(results, settings, stop.Cause);
        OutputFolder.Write(() => { AtomicFile.WriteAllText(Path.Combine(dir, "result.json"), report); return 0; }, settings.OutDir);
        if (json) cli.Out.Write(report);
        else RandomReport.Footer(results, settings, cli.Out);
        if (stop.Cause is { } cause)
            cli.Err.WriteLine($"interrupted ({cause}): the partial result, marked incomplete, is in {Path.Combine(dir, "result.json")}");
        return CheckOutcome.Worst(results.Select(r => r.Result.ExitCode));
    }

    private static SavedFinding Save(RandomSettings settings, Configuration config, RandomVerdict v)
    {
        var f = v.Finding!;
        var verdict = new PropertyVerdict(v.Property, Verdict.Violated, f.Shrunk.Trace);
        var seed = RandomReport.SeedText(settings.Options.Seed);
        var steps = CheckWords.Steps(f.Shrunk.Trace.Length);
        var foundBy = new FoundBy(
            $"verify random --seed {seed} on {settings.Spec.Source}, run {f.Run + 1}, shrunk from {f.StepInRun} steps to {steps}",
            $"Shrunk trace: {steps}, 1-minimal (removing any one step loses the finding), found by `verify random --seed {seed}` on {settings.Spec.Source} " +
            $"in run {f.Run + 1} (that run alone: `--seed {RandomReport.SeedText(f.RunSeed)} --runs 1`) at step {f.StepInRun} of {f.RunLength}, " +
            $"shrunk in {f.Shrunk.Replays:N0} replays (the smallest of {f.Shrinks} violating runs shrunk)");
        return FindingFiles.Save(settings.OutDir, RandomSettings.Subdir, settings.Spec, config, verdict, foundBy);
    }



    public static ulong ParseSeed(string text)
    {
        var t = text.Trim();
        var ok = t.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(t[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v)
            : ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        return ok ? v : throw new InputException($"--seed must be a whole number from 0 to {ulong.MaxValue} (decimal, or hex with 0x), such as 42, not '{text}'");
    }

    private static ulong FreshSeed() => (ulong)System.Random.Shared.NextInt64(1, long.MaxValue);

    private static int? Positive(int? value, string option, string what) =>
        value is <= 0 ? throw new InputException($"{option} must be a positive integer ({what}), not {value}") : value;
}
