using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Checker.Conformance;
using Verify.Checker.Specs;
using Verify.Checker.Text;
using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>
/// <c>verify conform --python VERSION|PATH [TRACES...] [--semantics S] [--backend probe|stdlib] [--runs N] [--record]
/// [--random N [--seed S] [--spec SPEC] [--length N]] [--jobs N] [--out DIR] [--json]</c>: replays each trace (and N random
/// traces the model draws) on the model and on real CPython and reports, per trace, agreement or the first diverging step.
/// </summary>
internal static class ConformCommand
{
    public const string DefaultFolder = "specs/conformance";

    public static Command Create(CliContext cli)
    {
        var traces = new Argument<string[]>("traces")
        {
            Description = $"trace files or folders (their .yaml/.yml/.json traces); default: {DefaultFolder}",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var python = new Option<string>("--python", "-p")
        {
            Description = "the CPython to compare against: a version (3.10, 3.12.1; looked up among pyenv's installs, then on PATH) or a python executable",
            Required = true,
        };
        var semantics = new Option<string?>("--semantics", "-s")
        {
            Description = "the model semantics (default: from the Python version: 3.10/3.11 -> cpython-3.11, 3.12 -> cpython-3.12, 3.13 -> cpython-3.13)",
        };
        var backend = new Option<string>("--backend")
        {
            Description = "which extension provides the catalogue's _testsinglephase modules: 'probe' (Verify's, built with gcc; every version) or 'stdlib' (CPython's own, 3.12+)",
            DefaultValueFactory = _ => "probe",
        };
        var runs = new Option<int>("--runs")
        {
            Description = "run each trace this many times on CPython (crashes can be nondeterministic); a trace agrees only if every run agrees",
            DefaultValueFactory = _ => 1,
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "seconds one CPython run of one trace may take",
            DefaultValueFactory = _ => 120,
        };
        var record = new Option<bool>("--record")
        {
            Description = "write CPython's observations next to each trace (TRACE.cpython-VERSION.BACKEND.observed.json) for the recorded suites",
        };
        var json = new Option<bool>("--json") { Description = "print the result as JSON" };
        var random = new Option<int?>("--random")
        {
            HelpName = "N",
            Description = "also run N random traces drawn by the model on the spec's configuration (without trace arguments: only those)",
        };
        var seed = new Option<string?>("--seed") { HelpName = "S", Description = "the seed of the random traces (decimal, or hex with 0x); default: a fresh one, printed" };
        var spec = new Option<string?>("--spec")
        {
            HelpName = "SPEC",
            Description = "the spec whose slots, modules, ops and random weights bound the random traces (default: the built-in specs/default.yaml)",
        };
        var length = new Option<int?>("--length")
        {
            HelpName = "N",
            Description = $"the most steps a random trace takes (default: the spec's random.length, else {RandomTraces.DefaultLength})",
        };
        var jobs = new Option<int?>("--jobs", "-j")
        {
            HelpName = "N",
            Description = "CPython runs at a time (default: 2, or 1 on a single core); each trace still gets a process of its own",
        };
        var outDir = new Option<string>("--out", "-o")
        {
            HelpName = "DIR",
            Description = "where disagreeing random traces are saved (DIR/conform/cpython-VERSION.BACKEND/)",
            DefaultValueFactory = _ => CheckCommand.DefaultOut,
        };

        var command = new Command("conform", "Run traces on the model and on a real CPython, and report where they disagree")
        {
            traces, python, semantics, backend, runs, timeout, record, json, random, seed, spec, length, jobs, outDir,
        };
        command.SetAction(parse => cli.Guard(parse, () =>
        {
            var backendName = parse.GetValue(backend)!;
            if (backendName is not ("probe" or "stdlib"))
                throw new InputException($"--backend {backendName}: must be 'probe' or 'stdlib'");
            var n = parse.GetValue(runs);
            if (n < 1) throw new InputException($"--runs {n}: must be at least 1");
            var seconds = parse.GetValue(timeout);
            if (seconds < 1) throw new InputException($"--timeout {seconds}: must be at least 1 second");

            var randomCount = parse.GetValue(random);
            if (randomCount is < 1) throw new InputException($"--random {randomCount}: must be a positive number of traces");
            var randomOnly = new Option[] { seed, spec, length }.Where(o => parse.GetResult(o) is not null).Select(o => o.Name).ToList();
            if (randomCount is null && randomOnly.Count > 0)
                throw new InputException($"{string.Join(", ", randomOnly)} only bound{(randomOnly.Count == 1 ? "s" : "")} random traces: add --random N");
            if (parse.GetValue(length) is < 1 and var badLength) throw new InputException($"--length {badLength}: must be a positive number of steps");
            var parallel = parse.GetValue(jobs) ?? Math.Min(2, Environment.ProcessorCount);
            if (parallel < 1) throw new InputException($"--jobs {parallel}: must be at least 1");
            var traceArgs = parse.GetValue(traces) ?? [];
            if (randomCount is not null && parse.GetValue(record))
                throw new InputException("--record writes observations next to trace files; random traces have none: drop --random or --record");

            var files = traceArgs.Length == 0 && randomCount is not null ? [] : Expand(traceArgs);
            var parsed = files.Select(TraceParser.ParseFile).ToList(); // bad traces are exit 2 before anything runs
            var specFile = parse.GetValue(spec) is { } specPath ? SpecParser.ParseFile(specPath) : SpecFile.BuiltInCheckDefault();
            if (randomCount is not null && RandomTraces.Unprovided(specFile, ConformanceRunner.ModulesOf(backendName, embedded: backendName == "probe")) is { Count: > 0 } unprovided)
                throw new InputException($"{specFile.Source}: the {backendName} backend cannot load {string.Join(", ", unprovided)} " +
                                         $"(it has {string.Join(", ", ConformanceRunner.ModulesOf(backendName, embedded: backendName == "probe"))}); restrict the spec's modules");
            var randomSeed = parse.GetValue(seed) is { } seedText ? RandomCommand.ParseSeed(seedText) : (ulong)System.Random.Shared.NextInt64(1, long.MaxValue);
            var target = PythonTarget.Resolve(parse.GetValue(python)!);
            var semanticsName = parse.GetValue(semantics) ?? target.DefaultSemantics
                ?? throw new InputException($"--python: CPython {target.Version} has no model semantics of its own; pass --semantics NAME " +
                                            $"(known: {Suggestions.List(SemanticsRegistry.Names)})");
            var model = ReplaySetup.FindSemantics(semanticsName);
            if (backendName == "stdlib" && Version.Parse(target.MinorVersion) < new Version(3, 12))
                throw new InputException($"--backend stdlib: CPython {target.Version} ships no _testsinglephase (3.12+ does); use --backend probe");
            var probe = backendName == "probe" ? target.BuildProbe() : null;
            // The builtin needs the embedding program; without it (no shared libpython) only its traces are skipped.
            var (embed, noEmbed) = backendName == "probe" ? target.BuildEmbed() : (null, null);
            if (randomCount is not null && embed is null && noEmbed is not null && specFile.Catalogue.Modules.Any(m => m.Name == DefaultCatalogue.Builtin))
                throw new InputException($"{specFile.Source}: {DefaultCatalogue.Builtin} needs the embedding program, which cannot be built here: {noEmbed}");

            IReadOnlyList<RandomTrace> drawn = [];
            if (randomCount is { } count)
            {
                var steps = parse.GetValue(length) ?? specFile.Random.Length ?? RandomTraces.DefaultLength;
                drawn = RandomTraces.Draw(specFile, model, randomSeed, count, steps);
            }

            var conformance = new ConformanceRunner(target, model, backendName, probe, TimeSpan.FromSeconds(seconds), embed);
            var toRecord = parse.GetValue(record);
            var all = parsed.Select((t, i) => (Trace: t, Record: toRecord ? files[i] : null)).Concat(drawn.Select(d => (d.Trace, (string?)null))).ToList();
            // Ctrl-C, SIGTERM or the caller's token stop the comparisons at once: no new trace starts, and the CPython
            // runs under way are killed (with their children) and their traces reported as interrupted, never as a
            // verdict. The traces done so far are reported.
            using var stop = cli.Interruptible();
            var compared = RunAll(cli, conformance, all, n, parallel, stop);
            var complete = compared.All(r => r is not null && r.Status != TraceStatus.Interrupted);
            var results = compared.Take(parsed.Count).OfType<TraceComparison>().ToList();
            var randomResults = compared.Skip(parsed.Count).OfType<TraceComparison>().ToList();
            if (!complete) drawn = [.. drawn.Where((_, i) => compared[parsed.Count + i] is not null)];

            RandomSummary? summary = null;
            if (randomCount is not null)
            {
                var folder = Path.Combine(parse.GetValue(outDir)!, "conform", $"cpython-{target.Version}.{backendName}");
                var origin = $"verify conform --random {randomCount} --seed {randomSeed} on {specFile.Source} " +
                             $"(CPython {target.Version}, backend {backendName}, model {model.Name})";
                var saved = new Dictionary<int, string>();
                try
                {
                    if (Directory.Exists(folder))
                        foreach (var old in Directory.EnumerateFiles(folder, "*.trace.json").ToList()) File.Delete(old);
                    for (var i = 0; i < drawn.Count; i++)
                        if (randomResults[i].Status == TraceStatus.Disagree)
                            saved[i] = RandomTraces.Save(folder, drawn[i], model.Name, origin, randomResults[i].Divergence);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new InputException($"{folder}: cannot save the disagreeing traces there: {e.Message}. Pass another folder with --out DIR");
                }
                var rerun = $"verify conform --python {parse.GetValue(python)}" + (backendName == "stdlib" ? " --backend stdlib" : "") +
                            (parse.GetValue(semantics) is { } sem ? $" --semantics {sem}" : "");
                summary = new RandomSummary(specFile.Source, randomSeed, drawn, randomResults, saved, rerun);
            }

            var everything = results.Concat(randomResults).ToList();
            var code = everything.Any(r => r.Status == TraceStatus.Error) ? ExitCodes.Internal
                : everything.Any(r => r.Status == TraceStatus.Disagree) ? ExitCodes.Violated
                : !complete ? ExitCodes.Incomplete : ExitCodes.Ok;
            if (parse.GetValue(json)) cli.Out.Write(Json(conformance, results, summary, code, complete, stop.Cause));
            else Text(cli.Out, conformance, results, summary);
            if (!complete)
            {
                var cut = everything.Count(r => r.Status == TraceStatus.Interrupted);
                cli.Err.WriteLine($"interrupted ({stop.Cause ?? "cancelled"}) after {everything.Count - cut} of {all.Count} traces" +
                                  (cut > 0 ? $" ({cut} stopped while CPython ran {(cut == 1 ? "it" : "them")})" : "") + ": the result is incomplete");
            }
            return code;
        }));
        return command;
    }

    /// <summary>Trace files from the arguments: files as given, folders by their trace files (never recorded observations).</summary>
    public static List<string> Expand(IReadOnlyList<string> args)
    {
        if (args.Count == 0)
        {
            if (!Directory.Exists(DefaultFolder))
                throw new InputException($"no traces given and no {DefaultFolder} folder here: pass trace files, or run from the repository root");
            args = [DefaultFolder];
        }
        var files = new List<string>();
        foreach (var a in args)
        {
            if (Directory.Exists(a))
            {
                var found = Directory.GetFiles(a)
                    .Where(f => (f.EndsWith(".yaml") || f.EndsWith(".yml") || f.EndsWith(".json")) && !f.EndsWith(Recorded.Suffix))
                    .Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0) throw new InputException($"{a}: the folder holds no traces (.yaml, .yml, .json)");
                files.AddRange(found);
            }
            else if (File.Exists(a)) files.Add(a);
            else throw new InputException($"{a}: no such trace file or folder");
        }
        return files;
    }

    /// <summary>The random part of a run: where the traces came from, each one's verdict, and where the disagreeing ones were saved.</summary>
    private sealed record RandomSummary(string Spec, ulong Seed, IReadOnlyList<RandomTrace> Traces, IReadOnlyList<TraceComparison> Results,
        IReadOnlyDictionary<int, string> Saved, string Rerun);

    /// <summary>
    /// Compares every trace, <paramref name="jobs"/> at a time. Each CPython run is its own process (a crash stays with
    /// its trace and step); the model side is pure. Results keep the input order, whatever order the runs finish in:
    /// every comparison, null for a trace not started because <paramref name="stop"/> came first, and
    /// <see cref="TraceStatus.Interrupted"/> for one whose CPython run <paramref name="stop"/> killed.
    /// </summary>
    private static IReadOnlyList<TraceComparison?> RunAll(CliContext cli, ConformanceRunner c, List<(Trace Trace, string? Record)> all, int runs, int jobs, Interruption stop)
    {
        var results = new TraceComparison?[all.Count];
        var done = 0;
        var gate = new object();
        Parallel.For(0, all.Count, new ParallelOptions { MaxDegreeOfParallelism = jobs }, i =>
        {
            if (stop.IsInterrupted) return;
            var result = c.Run(all[i].Trace, runs, all[i].Record, stop.Token);
            results[i] = result;
            var finished = Interlocked.Increment(ref done);
            if (cli.ErrTerminal && all.Count > 1)
                lock (gate) cli.Err.Write($"\rconform: {finished:N0} of {all.Count:N0} traces\u001b[K");
        });
        if (cli.ErrTerminal && all.Count > 1) cli.Err.Write("\r\u001b[K");
        return results;
    }

    private static void Text(TextWriter w, ConformanceRunner c, List<TraceComparison> results, RandomSummary? random)
    {
        w.WriteLine($"CPython {c.Python.Version} ({c.Python.Executable}), backend {c.Backend}, model {c.Semantics.Name}");
        var skippedFields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in results.Concat(random?.Results ?? []))
            foreach (var (f, why) in r.SkippedFields) skippedFields.TryAdd(Generic(f), why);
        foreach (var r in results) Line(w, r);
        if (random is not null)
        {
            w.WriteLine($"random traces: {random.Traces.Count:N0} drawn with seed {random.Seed} on {random.Spec}");
            // Agreeing random traces are only counted: a thousand "agree" lines would hide the few that matter.
            for (var i = 0; i < random.Results.Count; i++)
            {
                var r = random.Results[i];
                if (r.Status == TraceStatus.Agree) continue;
                Line(w, r);
                if (random.Saved.TryGetValue(i, out var file)) w.WriteLine($"      saved: {file} (re-run: {random.Rerun} {file})");
            }
        }
        if (skippedFields.Count > 0)
        {
            w.WriteLine("fields not compared:");
            foreach (var (f, why) in skippedFields) w.WriteLine($"  {f}: {why}");
        }
        if (results.Count > 0 || random is null) w.WriteLine(Counts(results.Count > 0 && random is not null ? "trace files" : "traces", results));
        if (random is not null) w.WriteLine(Counts("random traces", random.Results));
    }

    private static string Counts(string what, IReadOnlyList<TraceComparison> results)
    {
        int Count(TraceStatus s) => results.Count(r => r.Status == s);
        var survived = results.Count(r => r.Status == TraceStatus.Agree && r.SkippedFields.ContainsKey(ObservationComparer.DeadOwnerNote));
        var note = survived > 0 ? $" ({survived} of them up to a predicted dead-owner crash CPython survived)" : "";
        var known = Count(TraceStatus.TestModuleCrash) > 0 ? $", {Count(TraceStatus.TestModuleCrash)} known test-module crashes" : "";
        var cut = Count(TraceStatus.Interrupted) > 0 ? $", {Count(TraceStatus.Interrupted)} interrupted" : "";
        return $"{results.Count} {what}: {Count(TraceStatus.Agree)} agree{note}, {Count(TraceStatus.Disagree)} disagree{known}, " +
               $"{Count(TraceStatus.Skipped)} skipped, {Count(TraceStatus.Error)} errors{cut}";
    }

    private static void Line(TextWriter w, TraceComparison r)
    {
        var runs = r.Runs > 1 ? $", {r.RunsAgreeing}/{r.Runs} runs agree" : "";
        switch (r.Status)
        {
            case TraceStatus.Agree:
                w.WriteLine($"  agree     {r.Trace} ({r.Steps} steps, exit: {ConformanceRunner.CpythonExitText(r.CpythonExit!)}{runs})");
                break;
            case TraceStatus.Skipped:
                w.WriteLine($"  skipped   {r.Trace}: {r.Reason}");
                break;
            case TraceStatus.Error:
                w.WriteLine($"  ERROR     {r.Trace}: {r.Reason}");
                break;
            case TraceStatus.Interrupted:
                w.WriteLine($"  STOPPED   {r.Trace}: {r.Reason}, no verdict");
                break;
            case TraceStatus.TestModuleCrash:
                w.WriteLine($"  known     {r.Trace}: differs at step {r.Divergence?.Step}: {r.Reason}");
                break;
            default:
                var d = r.Divergence!;
                var where = d.Step is { } k ? $"step {k} ({d.Action})" : d.Action;
                w.WriteLine($"  DISAGREE  {r.Trace}: first divergence at {where}{runs}");
                foreach (var f in d.Fields) w.WriteLine($"      {f.Field}: model {f.Model}, cpython {f.Cpython}");
                w.WriteLine($"      model:   {d.Model?.ToJsonString(ObservationComparer.Options)}");
                w.WriteLine($"      cpython: {d.Cpython?.ToJsonString(ObservationComparer.Options)}");
                break;
        }
    }

    /// <summary>"defs[_testmultiphase]" and "defs[_testoptout]" are one line in the summary: the reason is the same.</summary>
    private static string Generic(string field) => field.StartsWith("defs[") ? "defs (" + field[5..^1] + ")" : field;

    private static string Json(ConformanceRunner c, List<TraceComparison> results, RandomSummary? random, int code, bool complete, string? interrupted)
    {
        var traces = new JsonArray(results.Select(r => (JsonNode)TraceJson(r)).ToArray());
        var root = new JsonObject
        {
            ["python"] = new JsonObject { ["version"] = c.Python.Version, ["executable"] = c.Python.Executable },
            ["backend"] = c.Backend,
            ["semantics"] = c.Semantics.Name,
            ["exit_code"] = code,
            ["complete"] = complete,
            ["interrupted"] = interrupted,
            ["traces"] = traces,
        };
        if (random is not null)
        {
            var disagreeing = new JsonArray();
            for (var i = 0; i < random.Results.Count; i++)
            {
                if (random.Results[i].Status is TraceStatus.Agree or TraceStatus.Skipped) continue;
                var o = TraceJson(random.Results[i]);
                o["run"] = random.Traces[i].Run + 1;
                o["run_seed"] = random.Traces[i].RunSeed.ToString(System.Globalization.CultureInfo.InvariantCulture);
                o["saved"] = random.Saved.TryGetValue(i, out var f) ? f : null;
                o["steps_taken"] = new JsonArray(random.Traces[i].Trace.Steps.Select(s => (JsonNode)TraceWriter.StepObject(s)).ToArray());
                disagreeing.Add(o);
            }
            int Count(TraceStatus s) => random.Results.Count(r => r.Status == s);
            root["random"] = new JsonObject
            {
                ["spec"] = random.Spec,
                ["seed"] = random.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["traces"] = random.Traces.Count,
                ["steps"] = random.Traces.Sum(t => t.Trace.Steps.Count),
                ["agree"] = Count(TraceStatus.Agree),
                ["disagree"] = Count(TraceStatus.Disagree),
                ["skipped"] = Count(TraceStatus.Skipped),
                ["errors"] = Count(TraceStatus.Error),
                ["test_module_crashes"] = Count(TraceStatus.TestModuleCrash),
                ["interrupted"] = Count(TraceStatus.Interrupted),
                ["agree_up_to_survived_dead_owner_crash"] = random.Results.Count(r => r.Status == TraceStatus.Agree && r.SkippedFields.ContainsKey(ObservationComparer.DeadOwnerNote)),
                ["not_agreeing"] = disagreeing,
            };
        }
        return root.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
    }

    private static JsonObject TraceJson(TraceComparison r)
    {
        var d = r.Divergence;
        return new JsonObject
        {
            ["trace"] = r.Trace,
            ["status"] = r.Status == TraceStatus.TestModuleCrash ? "test_module_crash" : r.Status.ToString().ToLowerInvariant(),
            ["reason"] = r.Reason,
            ["steps"] = r.Steps,
            ["runs"] = r.Runs,
            ["runs_agreeing"] = r.RunsAgreeing,
            ["model_exit"] = r.ModelExit,
            ["cpython_exit"] = r.CpythonExit is { } x ? ConformanceRunner.CpythonExitText(x) : null,
            ["divergence"] = d is null ? null : new JsonObject
            {
                ["step"] = d.Step,
                ["action"] = d.Action,
                ["fields"] = new JsonArray(d.Fields.Select(f => (JsonNode)new JsonObject
                {
                    ["field"] = f.Field, ["model"] = f.Model, ["cpython"] = f.Cpython,
                }).ToArray()),
                ["model"] = d.Model?.DeepClone(),
                ["cpython"] = d.Cpython?.DeepClone(),
            },
            ["skipped_fields"] = new JsonObject(r.SkippedFields.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        };
    }
}
