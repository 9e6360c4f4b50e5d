using System.CommandLine;
using System.Globalization;
using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Checker.Specs;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>
/// <c>verify bench [SPEC] [options]</c>: the exhaustive explorer timed on the spec under each semantics, and on
/// a series of 1..N subinterpreter slots of any mode (the spec's catalogue, properties and depth bound), with and
/// without symmetry; a table (or JSON) of distinct states, states/s, bytes per stored state and peak memory.
/// Each run is limited by --max-seconds; a run the limit stops is reported as partial. docs/benchmarks.md.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(CliContext cli)
    {
        var spec = SpecArgument.Create();
        var semantics = new Option<string[]>("--semantics", "-s") { HelpName = "NAME", Description = "benchmark this semantics (repeatable); default: the spec's 'semantics'" };
        var slots = new Option<int>("--slots")
        {
            HelpName = "N",
            Description = $"the series runs {BenchSettings.MinSlots}..N subinterpreter slots of any mode, N from {BenchSettings.MinSlots} to {BenchSettings.MostSlots}",
            DefaultValueFactory = _ => BenchSettings.MostSlots,
        };
        var symmetry = new Option<string>("--symmetry")
        {
            HelpName = "on|off|both",
            Description = "run each configuration with symmetry reduction, without, or both",
            DefaultValueFactory = _ => "both",
        };
        var maxSeconds = new Option<double>("--max-seconds")
        {
            HelpName = "S",
            Description = "stop each run after this many seconds (its figures are then partial)",
            DefaultValueFactory = _ => BenchSettings.DefaultMaxSeconds,
        };
        var workers = new Option<int?>("--workers") { HelpName = "N", Description = "search threads (default: one per core)" };
        var json = new Option<bool>("--json") { Description = "print the figures as JSON instead of the table" };

        var command = new Command("bench", "Time the exhaustive search: each semantics on the spec, and 1..N slots of any mode with and without symmetry")
        {
            spec, semantics, slots, symmetry, maxSeconds, workers, json,
        };
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            var n = parse.GetValue(slots);
            if (n < BenchSettings.MinSlots || n > BenchSettings.MostSlots)
                throw new InputException($"--slots must be from {BenchSettings.MinSlots} to {BenchSettings.MostSlots} (the longest series of subinterpreter slots), not {n}");
            var sym = Symmetries(parse.GetValue(symmetry)!);
            var seconds = parse.GetValue(maxSeconds);
            if (!(seconds > 0 && double.IsFinite(seconds)))
                throw new InputException($"--max-seconds must be a positive number of seconds, such as 10 or 0.5, not {seconds.ToString(CultureInfo.InvariantCulture)}");
            var threads = parse.GetValue(workers) ?? Environment.ProcessorCount;
            if (threads <= 0) throw new InputException($"--workers must be a positive integer (a number of threads), not {threads}");
            var chosen = parse.GetValue(semantics) is { Length: > 0 } names ? CheckCommand.ResolveSemantics(names) : null;
            var specFile = SpecArgument.Load(parse, spec);
            var settings = new BenchSettings(specFile, chosen ?? specFile.Semantics, n, sym, seconds, threads);
            return Run(cli, settings, parse.GetValue(json));
        }));
        return command;
    }

    private static IReadOnlyList<bool> Symmetries(string text) => text.Trim().ToLowerInvariant() switch
    {
        "on" => [true],
        "off" => [false],
        "both" => [true, false],
        _ => throw new InputException($"--symmetry must be on, off or both, not '{text}'"),
    };

    public static int Run(CliContext cli, BenchSettings settings, bool json)
    {
        var machine = BenchMachine.Current(peakPerRun: CanResetPeak());
        var started = DateTimeOffset.UtcNow;
        if (!json) BenchText.Header(settings, machine, cli.Out);

        var runs = new List<BenchRun>();
        // Ctrl-C, SIGTERM or the caller's token end the series; the runs done so far are reported.
        using var stop = cli.Interruptible();
        foreach (var semantics in settings.Semantics)
        {
            if (stop.IsInterrupted) break;
            WarmUp(settings, semantics, stop.Token);
            foreach (var (series, kinds) in Configurations(settings))
                foreach (var symmetry in settings.Symmetries)
                {
                    if (stop.IsInterrupted) break;
                    var run = RunOne(cli, settings, semantics, series, kinds, symmetry, stop.Token);
                    runs.Add(run);
                    if (!json) BenchText.Row(run, cli.Out);
                }
        }

        var outcome = new BenchOutcome(settings, machine, started, runs, stop.IsInterrupted);
        if (json) cli.Out.Write(BenchJson.Render(outcome));
        else BenchText.Footer(outcome, cli.Out);
        return outcome.ExitCode;
    }

    /// <summary>The spec's own slots, then 1..N slots of any mode.</summary>
    private static IEnumerable<(BenchSeries, IReadOnlyList<SlotKind>)> Configurations(BenchSettings s)
    {
        yield return (BenchSeries.Spec, s.Spec.SlotKinds);
        for (var n = BenchSettings.MinSlots; n <= s.MaxSlots; n++)
            yield return (BenchSeries.Slots, Enumerable.Repeat(SlotKind.Any, n).ToList());
    }

    /// <summary>
    /// A configuration of the benchmark: the spec's catalogue and ops with the given slots, as in <c>verify check</c>.
    /// </summary>
    private static Configuration Configure(BenchSettings s, Semantics semantics, IReadOnlyList<SlotKind> kinds) =>
        new(semantics, s.Spec.Catalogue, kinds, s.Spec.Operations);

    private static ExploreOptions Options(BenchSettings s, bool symmetry) => new()
    {
        Properties = s.Spec.Properties,
        Symmetry = symmetry,
        Storage = StorageMode.Fingerprint,
        MaxDepth = s.Spec.Depth,
        MaxSeconds = s.MaxSeconds,
        Workers = s.Workers,
        CountUnreduced = true,
    };

    /// <summary>Seconds of the unreported search before each semantics' runs.</summary>
    public const double WarmUpSeconds = 2;

    /// <summary>
    /// A search of the spec that is not reported (at most <see cref="WarmUpSeconds"/>, or --max-seconds if less), so
    /// that the first reported run does not pay for compiling the semantics' code (tiered JIT: the hot paths are
    /// recompiled optimised after their first calls, which takes about a second).
    /// </summary>
    private static void WarmUp(BenchSettings s, Semantics semantics, CancellationToken cancel) =>
        Explorer.Run(Configure(s, semantics, s.Spec.SlotKinds), Options(s, true) with { MaxSeconds = Math.Min(WarmUpSeconds, s.MaxSeconds), Cancel = cancel });

    private static BenchRun RunOne(CliContext cli, BenchSettings s, Semantics semantics, BenchSeries series, IReadOnlyList<SlotKind> kinds,
        bool symmetry, CancellationToken cancel)
    {
        var config = Configure(s, semantics, kinds);
        var options = Options(s, symmetry) with { Cancel = cancel };
        var label = $"{semantics.Name} {kinds.Count} {(series == BenchSeries.Spec ? "spec" : "any")} symmetry {(symmetry ? "on" : "off")}";
        var progress = cli.ErrTerminal ? new ProgressLine(cli.Err, label) : null;
        if (progress is not null) options = options with { OnProgress = progress.Report };

        // Each run starts from a collected heap and, where the OS allows it, a fresh peak of resident memory,
        // so that its peak is its own and not an earlier run's.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        ResetPeak();
        try
        {
            var result = Explorer.Run(config, options);
            return new BenchRun(semantics, series, kinds, symmetry, result.Stats);
        }
        finally
        {
            progress?.Clear();
        }
    }

    private const string ClearRefs = "/proc/self/clear_refs";

    private static bool CanResetPeak() => OperatingSystem.IsLinux() && ResetPeak();

    /// <summary>Linux: writing 5 to /proc/self/clear_refs resets the peak resident set size (VmHWM), which the explorer reports.</summary>
    private static bool ResetPeak()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            File.WriteAllText(ClearRefs, "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
