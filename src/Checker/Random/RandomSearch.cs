using System.Diagnostics;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Random;

public sealed record RandomOptions
{
    public required IReadOnlyList<Property> Properties { get; init; }
    public int Runs { get; init; } = DefaultRuns;
    /// <summary>The most steps a run takes (it ends sooner when nothing is enabled, e.g. after finalize).</summary>
    public int Length { get; init; } = DefaultLength;
    public ulong Seed { get; init; } = 1;
    public ActionWeights Weights { get; init; } = ActionWeights.Default;
    public bool Swarm { get; init; } = true;
    public double? MaxSeconds { get; init; }
    /// <summary>
    /// How many violating runs of each property are shrunk; the smallest result is kept. Shrinking finds a local
    /// minimum: a run that fails through one mechanism shrinks to that mechanism's trace, while a shorter trace may
    /// fail through another, so later runs get their chance (in run order, so the result stays a function of the seed).
    /// </summary>
    public int Shrinks { get; init; } = DefaultShrinks;
    public CancellationToken Cancel { get; init; }
    /// <summary>Called now and then with the number of runs done.</summary>
    public Action<int>? OnProgress { get; init; }

    public const int DefaultRuns = 1000;
    public const int DefaultLength = 40;
    public const int DefaultShrinks = 100;
}

public enum RandomVerdictKind
{
    /// <summary>an always-property failed on some run (the finding carries the shrunk trace)</summary>
    Violated,
    /// <summary>an always-property held on every run: evidence, not proof</summary>
    NotFound,
    /// <summary>a sometimes-property was seen on some run</summary>
    Witnessed,
    /// <summary>a sometimes-property was seen on no run (random runs prove nothing: not a failure)</summary>
    NotWitnessed,
}

/// <param name="FirstRun">the 0-based run that first showed it</param>
/// <param name="FoundAfter">search time (generation and judging, not shrinking) until that run</param>
/// <param name="Run">the 0-based run whose shrunk trace is <see cref="Shrunk"/> (the smallest of those shrunk)</param>
/// <param name="RunSeed">the seed that draws that run alone (<c>verify random --seed RunSeed --runs 1</c>)</param>
/// <param name="StepInRun">that run's step (1-based) where it showed (0: the initial state)</param>
/// <param name="RunsShowing">how many runs showed it</param>
/// <param name="Shrinks">how many of them were shrunk</param>
/// <param name="Replays">candidate traces replayed by all those shrinks</param>
public sealed record RandomFinding(
    int FirstRun, TimeSpan FoundAfter, int Run, ulong RunSeed, int RunLength, int StepInRun, ShrinkResult Shrunk,
    int RunsShowing, int Shrinks, int Replays);

public sealed record RandomVerdict(Property Property, RandomVerdictKind Kind, RandomFinding? Finding);

public enum RandomStop { AllRuns, MaxSeconds, Cancelled }

/// <param name="SearchTime">generating runs and judging them; <see cref="ShrinkTime"/> comes on top</param>
public sealed record RandomStats(int Runs, long Steps, TimeSpan SearchTime, TimeSpan ShrinkTime, RandomStop Stop)
{
    public double StepsPerSecond => SearchTime.TotalSeconds > 0 ? Steps / SearchTime.TotalSeconds : 0;
    public TimeSpan Elapsed => SearchTime + ShrinkTime;
}

public sealed record RandomResult(Configuration Config, RandomOptions Options, RandomStats Stats, IReadOnlyList<RandomVerdict> Verdicts)
{
    public bool AnyViolated => Verdicts.Any(v => v.Kind == RandomVerdictKind.Violated);

    /// <summary>1 a property is violated; 3 a limit stopped the runs before all were done (and nothing was found); else 0.</summary>
    public int ExitCode => AnyViolated ? ExitCodes.Violated
        : Stats.Stop is RandomStop.MaxSeconds or RandomStop.Cancelled ? ExitCodes.Incomplete
        : ExitCodes.Ok;
}

/// <summary>
/// Random exploration: runs drawn by FsCheck from a seed (<see cref="TraceGenerator"/>), every selected property
/// judged along every run, and for each property the first run that shows its finding shrunk to a 1-minimal trace
/// (<see cref="Shrinker"/>). Run <c>k</c> is drawn from its own seed (run 0 from the seed itself), so a run can be
/// drawn again alone, and the result depends on nothing but the seed and the options.
/// </summary>
public static class RandomSearch
{
    public static RandomResult Run(Configuration config, RandomOptions options)
    {
        var properties = options.Properties;
        var findings = new RandomFinding?[properties.Count];
        var plans = TraceGenerator.Plans(config, options.Weights, options.Length, options.Swarm);
        var search = new Stopwatch();
        var shrinking = TimeSpan.Zero;
        var steps = 0L;
        var runs = 0;
        var stop = RandomStop.AllRuns;
        var lastProgress = Stopwatch.StartNew();

        for (var k = 0; k < options.Runs; k++)
        {
            if (options.Cancel.IsCancellationRequested) { stop = RandomStop.Cancelled; break; }
            if (options.MaxSeconds is { } max && (search.Elapsed + shrinking).TotalSeconds >= max) { stop = RandomStop.MaxSeconds; break; }

            search.Start();
            var seed = RunSeed(options.Seed, k);
            var run = TraceGenerator.Play(config, options.Weights, TraceGenerator.Draw(plans, seed, options.Length));
            var first = TraceJudge.FirstFindings(config, run, properties);
            search.Stop();
            steps += run.Length;
            runs++;

            for (var p = 0; p < properties.Count; p++)
            {
                if (first[p] is not { } at) continue;
                var f = findings[p];
                // Nothing is shorter than the initial state or one step; otherwise shrink while the budget lasts.
                if (f is not null && (f.Shrinks >= options.Shrinks || f.Shrunk.Trace.Length <= 1))
                {
                    findings[p] = f with { RunsShowing = f.RunsShowing + 1 };
                    continue;
                }
                var shrunk = new Shrinker(config, properties[p]).Shrink(run.Actions);
                shrinking += shrunk.Elapsed;
                if (f is null)
                    findings[p] = new RandomFinding(k, search.Elapsed, k, seed, run.Length, at + 1, shrunk, 1, 1, shrunk.Replays);
                else if (Shrinker.Compare(shrunk.Trace.Steps, f.Shrunk.Trace.Steps) < 0)
                    findings[p] = f with
                    {
                        Run = k, RunSeed = seed, RunLength = run.Length, StepInRun = at + 1, Shrunk = shrunk,
                        RunsShowing = f.RunsShowing + 1, Shrinks = f.Shrinks + 1, Replays = f.Replays + shrunk.Replays,
                    };
                else
                    findings[p] = f with { RunsShowing = f.RunsShowing + 1, Shrinks = f.Shrinks + 1, Replays = f.Replays + shrunk.Replays };
            }
            if (options.OnProgress is { } report && lastProgress.ElapsedMilliseconds >= 200)
            {
                report(runs);
                lastProgress.Restart();
            }
        }

        var verdicts = properties.Select((p, i) => new RandomVerdict(p, Kind(p, findings[i]), findings[i])).ToList();
        return new RandomResult(config, options, new RandomStats(runs, steps, search.Elapsed, shrinking, stop), verdicts);
    }

    private static RandomVerdictKind Kind(Property p, RandomFinding? f) => (p.Kind, f) switch
    {
        (PropertyKind.Always, null) => RandomVerdictKind.NotFound,
        (PropertyKind.Always, _) => RandomVerdictKind.Violated,
        (_, null) => RandomVerdictKind.NotWitnessed,
        _ => RandomVerdictKind.Witnessed,
    };

    /// <summary>Run <paramref name="k"/>'s seed: the seed itself for run 0, then SplitMix64 steps from it (well spread, not sequential).</summary>
    public static ulong RunSeed(ulong seed, int k)
    {
        if (k == 0) return seed;
        var z = seed + (ulong)k * TraceGenerator.SeedGamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
