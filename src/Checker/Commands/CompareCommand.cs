using System.CommandLine;
using Verify.Checker.Compare;
using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>
/// <c>verify compare [SPEC]</c>: every semantics (the CPython releases and the fix strategies) against every property,
/// exhaustively on the spec's bounds, and each strategy's behaviour changes against a baseline release on one shared set
/// of traces. Prints the matrix; writes compare.json, compare.md, compare.html and the traces. Exit code: 0 when every
/// search was complete, 3 when a limit or an interruption cut one short, 1 when <c>--expect</c> names cells that disagree.
/// </summary>
internal static class CompareCommand
{
    public const string DefaultBaseline = "cpython-3.13";
    public const int DefaultTraces = 300;
    public const ulong DefaultSeed = 1;

    public static Command Create(CliContext cli, CheckCommand.Search search)
    {
        var spec = SpecArgument.Create();
        var semantics = new Option<string[]>("--semantics", "-s") { HelpName = "NAME", Description = "compare these semantics (repeatable); default: the spec's 'semantics'" };
        var property = new Option<string[]>("--property", "-p") { HelpName = "NAME", Description = "judge this property (repeatable); default: the spec's 'properties'" };
        var depth = new Option<int?>("--depth") { HelpName = "N", Description = "explore no trace longer than this (default: the spec's 'depth', else to the fixpoint)" };
        var maxSeconds = new Option<double?>("--max-seconds") { HelpName = "S", Description = "stop each search after this many seconds (its cells are then 'incomplete')" };
        var maxStates = new Option<long?>("--max-states") { HelpName = "N", Description = "stop each search after this many distinct states" };
        var baseline = new Option<string>("--baseline") { HelpName = "NAME", Description = $"the release whose behaviour the strategies' costs are measured against (default: {DefaultBaseline})", DefaultValueFactory = _ => DefaultBaseline };
        var traces = new Option<int?>("--traces") { HelpName = "N", Description = $"how many shared traces the costs are measured on (default: {DefaultTraces})" };
        var length = new Option<int?>("--length") { HelpName = "N", Description = "the length of each of those traces (default: the spec's depth, else 10)" };
        var seed = new Option<ulong?>("--seed") { HelpName = "N", Description = $"the seed that draws them (default: {DefaultSeed})" };
        var expect = new Option<string?>("--expect") { HelpName = "FILE", Description = "check every cell against an expectations file (specs/expectations.yaml); a disagreement exits 1" };
        var outDir = new Option<string>("--out", "-o") { HelpName = "DIR", Description = "where compare.json, compare.md, compare.html and the traces go", DefaultValueFactory = _ => CheckCommand.DefaultOut };
        var json = new Option<bool>("--json") { Description = "print compare.json to stdout instead of the tables" };
        var markdown = new Option<string?>("--markdown")
        {
            HelpName = "FILE",
            Description = $"also write the Markdown report into FILE: between its lines '{CompareFiles.Begin}' and '{CompareFiles.End}' if it has them (docs/comparison.md does), else as the whole file",
        };

        var command = new Command("compare", "Compare the CPython releases and the fix strategies: every property, and each strategy's cost in behaviour changes")
        {
            spec, semantics, property, depth, maxSeconds, maxStates, baseline, traces, length, seed, expect, outDir, json, markdown,
        };
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            var specFile = SpecArgument.Load(parse, spec);
            var expectations = parse.GetValue(expect) is { } file ? Expectations.Load(file) : null;
            var chosen = parse.GetValue(semantics) is { Length: > 0 } names ? CheckCommand.ResolveSemantics(names) : specFile.Semantics;
            var maxDepth = CheckCommand.Positive(parse.GetValue(depth), "--depth", "the length of the longest trace to explore") ?? specFile.Depth;
            var settings = new CompareSettings(
                specFile,
                chosen,
                new ExploreOptions
                {
                    Properties = parse.GetValue(property) is { Length: > 0 } props ? CheckCommand.ResolveProperties(props) : specFile.Properties,
                    MaxDepth = maxDepth,
                    MaxSeconds = CheckCommand.PositiveSeconds(parse.GetValue(maxSeconds)),
                    MaxStates = CheckCommand.Positive(parse.GetValue(maxStates), "--max-states", "a number of distinct states"),
                    MaxMemoryBytes = CheckCommand.DefaultMaxMemory(),
                },
                ReplaySetup.FindSemantics(parse.GetValue(baseline)!),
                CheckCommand.Positive(parse.GetValue(traces), "--traces", "a number of traces") ?? DefaultTraces,
                CheckCommand.Positive(parse.GetValue(length), "--length", "a number of steps") ?? maxDepth ?? 10,
                parse.GetValue(seed) ?? DefaultSeed,
                parse.GetValue(outDir)!);
            return Run(cli, settings, search, parse.GetValue(json), expectations, "verify " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
                parse.GetValue(markdown));
        }));
        return command;
    }

    public static int Run(CliContext cli, CompareSettings settings, CheckCommand.Search search, bool json, Expectations? expectations, string command,
        string? markdown = null)
    {
        if (settings.Baseline.IsFixStrategy)
            throw new InputException($"--baseline {settings.Baseline.Name} is a fix strategy; the costs are measured against a CPython release such as {DefaultBaseline}");
        OutputFolder.Prepare(Path.Combine(settings.OutDir, CompareRunner.Folder), settings.Semantics, settings.OutDir);
        using var stop = cli.Interruptible();
        ProgressLine? progress = null;
        Comparison result;
        try
        {
            result = CompareRunner.Run(settings, search, stop.Token, s =>
            {
                progress?.Clear();
                if (!cli.ErrTerminal) return null;
                progress = new ProgressLine(cli.Err, s.Name);
                return progress.Report;
            });
        }
        finally
        {
            progress?.Clear();
        }
        result = result with { Interrupted = stop.Cause };
        OutputFolder.Write(() => { CompareFiles.Write(result, command); return 0; }, settings.OutDir);
        if (markdown is not null && result.Complete)
            OutputFolder.Write(() => { CompareFiles.WriteInto(markdown, CompareMarkdown.Render(result, command, links: false)); return 0; }, markdown);
        if (json) cli.Out.Write(CompareJson.Render(result));
        else
        {
            CompareText.Render(result, cli.Out);
            cli.Out.WriteLine();
            CompareText.Footer(result, cli.Out);
        }
        if (result.Interrupted is { } cause)
            cli.Err.WriteLine($"interrupted ({cause}): the partial comparison, marked incomplete, is in {Path.Combine(settings.OutDir, CompareFiles.Json)}");
        if (expectations is null) return result.ExitCode;
        var disagreements = expectations.Disagreements(result);
        foreach (var d in disagreements) cli.Err.WriteLine($"{expectations.Source}: {d}");
        if (disagreements.Count > 0)
        {
            cli.Err.WriteLine($"{disagreements.Count} cell(s) disagree with {expectations.Source}");
            return ExitCodes.Violated;
        }
        (json ? cli.Err : cli.Out).WriteLine($"every cell agrees with {expectations.Source}");
        return result.ExitCode;
    }
}
