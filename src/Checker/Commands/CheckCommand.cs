using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Checker.Specs;
using Verify.Checker.Text;
using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Commands;

/// <summary>
/// <c>verify check [SPEC] [options]</c>: the exhaustive search of every semantics of the spec, a console summary,
/// and under <c>--out</c> result.json, a replayable trace and a Markdown report per finding. Exit code: 1 if a
/// property is violated (or a sometimes-property never witnessed) under some semantics, else 3 if a limit
/// stopped some search first, else 0.
/// </summary>
internal static partial class CheckCommand
{
    /// <summary>The search every semantics runs through; tests pass another to exercise the reports.</summary>
    public delegate ExploreResult Search(Configuration config, ExploreOptions options);

    public const string DefaultOut = "verify-out";

    public static Command Create(CliContext cli, Search search)
    {
        var spec = SpecArgument.Create();
        var semantics = new Option<string[]>("--semantics", "-s") { HelpName = "NAME", Description = "check under this semantics (repeatable); default: the spec's 'semantics'" };
        var property = new Option<string[]>("--property", "-p") { HelpName = "NAME", Description = "check this property (repeatable); default: the spec's 'properties'" };
        var maxStates = new Option<long?>("--max-states") { HelpName = "N", Description = "stop each search after this many distinct states (the verdict is then 'incomplete')" };
        var maxSeconds = new Option<double?>("--max-seconds") { HelpName = "S", Description = "stop each search after this many seconds" };
        var maxMemory = new Option<string?>("--max-memory")
        {
            HelpName = "SIZE",
            Description = $"stop each search when it uses this much memory: bytes, or a size such as 512M or 4G (default: {MemoryPercent}% of the memory available to verify)",
        };
        var depth = new Option<int?>("--depth") { HelpName = "N", Description = "explore no trace longer than this (default: the spec's 'depth', else to the fixpoint)" };
        var exact = new Option<bool>("--exact") { Description = "store whole states instead of 64-bit fingerprints (no collision risk; more memory)" };
        var noSymmetry = new Option<bool>("--no-symmetry") { Description = "do not treat subinterpreter slots of the same kind as interchangeable" };
        var workers = new Option<int?>("--workers") { HelpName = "N", Description = "search threads (default: one per core)" };
        var first = new Option<bool>("--first") { Description = "stop after the level of the first violation" };
        var outDir = new Option<string>("--out", "-o") { HelpName = "DIR", Description = "where result.json, traces and reports go", DefaultValueFactory = _ => DefaultOut };
        var json = new Option<bool>("--json") { Description = "print result.json to stdout instead of the summary" };
        var engine = new Option<string>("--engine") { HelpName = "ENGINE", Description = "explicit (default: every reachable state) or bmc (Z3 bounded model checking to --depth; docs/symbolic.md)", DefaultValueFactory = _ => "explicit" };
        var smt2 = new Option<string?>("--emit-smt2") { HelpName = "FILE", Description = "with --engine bmc: write the query as SMT-LIB 2 to FILE (one semantics)" };

        var command = new Command("check", "Search every reachable state of the spec's configurations and judge the properties")
        {
            spec, semantics, property, maxStates, maxSeconds, maxMemory, depth, exact, noSymmetry, workers, first, outDir, json, engine, smt2,
        };
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            var specFile = SpecArgument.Load(parse, spec);
            var chosenSemantics = parse.GetValue(semantics) is { Length: > 0 } names ? ResolveSemantics(names) : specFile.Semantics;
            var chosenProperties = parse.GetValue(property) is { Length: > 0 } props ? ResolveProperties(props) : specFile.Properties;
            var options = new ExploreOptions
            {
                Properties = chosenProperties,
                Symmetry = !parse.GetValue(noSymmetry),
                Storage = parse.GetValue(exact) ? StorageMode.Exact : StorageMode.Fingerprint,
                MaxDepth = Positive(parse.GetValue(depth), "--depth", "the length of the longest trace to explore") ?? specFile.Depth,
                MaxStates = Positive(parse.GetValue(maxStates), "--max-states", "a number of distinct states"),
                MaxSeconds = PositiveSeconds(parse.GetValue(maxSeconds)),
                MaxMemoryBytes = parse.GetValue(maxMemory) is { } size ? ParseSize(size) : DefaultMaxMemory(),
                StopAtFirstViolation = parse.GetValue(first),
            };
            if (Positive(parse.GetValue(workers), "--workers", "a number of threads") is { } n) options = options with { Workers = n };
            var settings = new CheckSettings(specFile, chosenSemantics, options, parse.GetValue(outDir)!)
            {
                MemoryDefault = parse.GetValue(maxMemory) is null,
            };
            return Run(cli, settings, ChooseEngine(parse.GetValue(engine)!, parse.GetValue(smt2), settings, search), parse.GetValue(json));
        }));
        return command;
    }

    /// <summary>Runs every semantics of <paramref name="settings"/>, writes the files, prints the summary (or the JSON).</summary>
    public static int Run(CliContext cli, CheckSettings settings, Search search, bool json)
    {
        var outDir = settings.OutDir;
        PrepareOut(settings);
        var text = !json;
        if (text) Header(cli, settings);
        var runs = new List<SemanticsRun>();
        // Ctrl-C, SIGTERM or the caller's token stop the searches as a limit does: each reports what it covered,
        // as incomplete, and the files below are still written; a second signal kills.
        using var stop = cli.Interruptible();
        foreach (var semantics in settings.Semantics)
        {
            var run = RunOne(cli, settings, semantics, search, stop.Token);
            runs.Add(run);
            if (!text) continue;
            if (cli.Terminal) CheckTable.Run(run, outDir, cli.Out);
            else CheckText.Run(run, outDir, cli.Out);
        }
        var outcome = new CheckOutcome(settings, runs) { Interrupted = stop.Cause };
        var report = CheckJson.Render(outcome);
        OutputFolder.Write(() => { AtomicFile.WriteAllText(Path.Combine(outDir, "result.json"), report); return 0; }, outDir);
        if (json) cli.Out.Write(report);
        else if (cli.Terminal) CheckTable.Footer(outcome, outDir, cli.Out);
        else CheckText.Footer(outcome, outDir, cli.Out);
        if (outcome.Interrupted is { } cause)
            cli.Err.WriteLine($"interrupted ({cause}): the partial result, marked incomplete, is in {Path.Combine(outDir, "result.json")}");
        return outcome.ExitCode;
    }

    /// <summary>One semantics: the search (with the progress line on a terminal's stderr), then the files of its findings.</summary>
    private static SemanticsRun RunOne(CliContext cli, CheckSettings settings, Semantics semantics, Search search, CancellationToken cancel)
    {
        var config = settings.Spec.ConfigurationFor(semantics);
        var progress = cli.ErrTerminal ? new ProgressLine(cli.Err, semantics.Name) : null;
        var options = settings.Options with { Cancel = cancel };
        if (progress is not null) options = options with { OnProgress = progress.Report };
        ExploreResult result;
        try
        {
            result = search(config, options);
        }
        finally
        {
            progress?.Clear();
        }
        var saved = result.Verdicts
            .Select(v => CheckWords.HasTrace(v) ? OutputFolder.Write(() => FindingFiles.Save(settings.OutDir, settings.Spec, result, v), settings.OutDir) : null)
            .ToList();
        return new SemanticsRun(result, saved);
    }

    private static void Header(CliContext cli, CheckSettings settings)
    {
        if (cli.Terminal) CheckTable.Header(settings, cli.Out);
        else CheckText.Header(settings, cli.Out);
    }

    /// <summary>The output folder, with what an earlier check left for these semantics removed.</summary>
    private static void PrepareOut(CheckSettings settings) => OutputFolder.Prepare(settings.OutDir, settings.Semantics, settings.OutDir);


    /// <summary>The search of <c>--engine</c>: the caller's (explicit) or BMC, which needs a depth bound.</summary>
    private static Search ChooseEngine(string engine, string? smt2, CheckSettings settings, Search explicitSearch)
    {
        switch (engine)
        {
            case "explicit":
                if (smt2 is not null) throw new InputException("--emit-smt2 needs --engine bmc: only the symbolic engine builds a query");
                return explicitSearch;
            case "bmc":
                if (settings.Options.MaxDepth is null)
                    throw new InputException("--engine bmc needs a depth bound: give --depth K (or 'depth' in the spec)");
                if (smt2 is not null && settings.Semantics.Count != 1)
                    throw new InputException($"--emit-smt2 writes one query: choose one semantics with --semantics (this run has {settings.Semantics.Count})");
                // Every semantics is checked before any search starts, so a refusal loses no work.
                foreach (var s in settings.Semantics)
                    if (Symbolic.SymSupport.Refusal(settings.Spec.ConfigurationFor(s), settings.Options.Properties) is { } refusal)
                        throw new InputException($"--engine bmc cannot check {s.Name} on {settings.Spec.Source}: {refusal}. " +
                                                 (Symbolic.SymVersion.For(s) is null
                                                     ? "Choose what it covers with --semantics (for example --semantics cpython-3.13), or use the explicit engine (the default)"
                                                     : "Narrow the spec as said, or use the explicit engine (the default)"));
                return (config, options) => Symbolic.Bmc.Run(config, options, smt2);
            default:
                throw new InputException($"--engine must be explicit or bmc, not '{engine}'");
        }
    }

    public static IReadOnlyList<Semantics> ResolveSemantics(IEnumerable<string> names)
    {
        var chosen = names.Select(ReplaySetup.FindSemantics).Distinct().ToList();
        return [.. SemanticsRegistry.All.Where(chosen.Contains)];
    }

    public static IReadOnlyList<Property> ResolveProperties(IEnumerable<string> names)
    {
        var valid = IsolationProperties.All.Select(p => p.Name).ToList();
        var chosen = new List<Property>();
        foreach (var name in names)
        {
            if (name == "all") return IsolationProperties.All;
            chosen.Add(IsolationProperties.Find(name)
                ?? throw new InputException($"--property: unknown property '{name}'.{Suggestions.DidYouMean(name, valid)} Properties: {Suggestions.List(valid)} (or all); see verify list"));
        }
        return [.. IsolationProperties.All.Where(chosen.Contains)];
    }

    internal static T? Positive<T>(T? value, string option, string what) where T : struct, System.Numerics.INumber<T> =>
        value is { } v && v <= T.Zero
            ? throw new InputException($"{option} must be a positive integer ({what}), not {v}")
            : value;

    internal static double? PositiveSeconds(double? value) =>
        value is { } v && !(v > 0 && double.IsFinite(v))
            ? throw new InputException($"--max-seconds must be a positive number of seconds, such as 60 or 0.5, not {v.ToString(CultureInfo.InvariantCulture)}")
            : value;

    /// <summary>The share of the available memory a search may use by default.</summary>
    public const int MemoryPercent = 60;

    /// <summary>
    /// The default of --max-memory: <see cref="MemoryPercent"/>% of what the GC may use (physical memory, or the
    /// container's limit). The limit is compared with the managed heap; the rest of the process (the runtime, the
    /// heap's own slack, the report written after the stop) needs the remaining share, so that a search stops with
    /// its report instead of being killed by the operating system.
    /// </summary>
    public static long DefaultMaxMemory() => AvailableMemory() / 100 * MemoryPercent;

    /// <summary>The memory the GC may use: physical memory, or a container's or GCHeapHardLimit's limit.</summary>
    public static long AvailableMemory() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    /// <summary>A memory size: bytes, or a number with K, M, G or T (powers of 1024; "4G", "512M", "1.5GiB", "100KB").</summary>
    public static long ParseSize(string text)
    {
        var m = SizePattern().Match(text);
        if (m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var shift = char.ToUpperInvariant(m.Groups[2].Value.FirstOrDefault()) switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
            var bytes = number * Math.Pow(2, shift);
            if (bytes >= 1 && bytes < long.MaxValue) return (long)bytes;
        }
        throw new InputException($"--max-memory must be a size such as 4G, 512M or 1500000000 (bytes), not '{text}'");
    }
}
