using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Checker.Conformance;
using Verify.Checker.Text;
using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Commands;

/// <summary>
/// <c>verify conform --python VERSION|PATH [TRACES...] [--semantics S] [--backend probe|stdlib] [--runs N] [--record] [--json]</c>:
/// replays each trace on the model and on real CPython and reports, per trace, agreement or the first diverging step.
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

        var command = new Command("conform", "Run traces on the model and on a real CPython, and report where they disagree")
        {
            traces, python, semantics, backend, runs, timeout, record, json,
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

            var files = Expand(parse.GetValue(traces) ?? []);
            var parsed = files.Select(TraceParser.ParseFile).ToList(); // bad traces are exit 2 before anything runs
            var target = PythonTarget.Resolve(parse.GetValue(python)!);
            var semanticsName = parse.GetValue(semantics) ?? target.DefaultSemantics
                ?? throw new InputException($"--python: CPython {target.Version} has no model semantics of its own; pass --semantics NAME " +
                                            $"(known: {Suggestions.List(SemanticsRegistry.Names)})");
            var model = ReplaySetup.FindSemantics(semanticsName);
            if (backendName == "stdlib" && Version.Parse(target.MinorVersion) < new Version(3, 12))
                throw new InputException($"--backend stdlib: CPython {target.Version} ships no _testsinglephase (3.12+ does); use --backend probe");
            var probe = backendName == "probe" ? target.BuildProbe() : null;

            var conformance = new ConformanceRunner(target, model, backendName, probe, TimeSpan.FromSeconds(seconds));
            var results = new List<TraceComparison>();
            // Ctrl-C, SIGTERM or the caller's token stop between traces; the traces done so far are reported.
            using var stop = cli.Interruptible();
            for (var i = 0; i < files.Count && !stop.IsInterrupted; i++)
            {
                var result = conformance.Run(parsed[i], n, parse.GetValue(record) ? files[i] : null);
                // A Ctrl-C on a terminal reaches the CPython child too, so a trace that ended after the interruption
                // may show the signal rather than CPython's behaviour: it is left out rather than reported.
                if (stop.IsInterrupted) break;
                results.Add(result);
            }

            var code = results.Any(r => r.Status == TraceStatus.Error) ? ExitCodes.Internal
                : results.Any(r => r.Status == TraceStatus.Disagree) ? ExitCodes.Violated
                : stop.IsInterrupted ? ExitCodes.Incomplete : ExitCodes.Ok;
            if (parse.GetValue(json)) cli.Out.Write(Json(conformance, results, code, files.Count, stop.Cause));
            else Text(cli.Out, conformance, results);
            if (stop.Cause is { } cause)
                cli.Err.WriteLine($"interrupted ({cause}) after {results.Count} of {files.Count} traces: the result is incomplete");
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

    private static void Text(TextWriter w, ConformanceRunner c, List<TraceComparison> results)
    {
        w.WriteLine($"CPython {c.Python.Version} ({c.Python.Executable}), backend {c.Backend}, model {c.Semantics.Name}");
        var skippedFields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var r in results)
        {
            foreach (var (f, why) in r.SkippedFields) skippedFields.TryAdd(Generic(f), why);
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
        if (skippedFields.Count > 0)
        {
            w.WriteLine("fields not compared:");
            foreach (var (f, why) in skippedFields) w.WriteLine($"  {f}: {why}");
        }
        int Count(TraceStatus s) => results.Count(r => r.Status == s);
        w.WriteLine($"{results.Count} traces: {Count(TraceStatus.Agree)} agree, {Count(TraceStatus.Disagree)} disagree, " +
                    $"{Count(TraceStatus.Skipped)} skipped, {Count(TraceStatus.Error)} errors");
    }

    /// <summary>"defs[_testmultiphase]" and "defs[_testoptout]" are one line in the summary: the reason is the same.</summary>
    private static string Generic(string field) => field.StartsWith("defs[") ? "defs (" + field[5..^1] + ")" : field;

    private static string Json(ConformanceRunner c, List<TraceComparison> results, int code, int traceCount, string? interrupted)
    {
        var traces = new JsonArray();
        foreach (var r in results)
        {
            var d = r.Divergence;
            traces.Add(new JsonObject
            {
                ["trace"] = r.Trace,
                ["status"] = r.Status.ToString().ToLowerInvariant(),
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
            });
        }
        var root = new JsonObject
        {
            ["python"] = new JsonObject { ["version"] = c.Python.Version, ["executable"] = c.Python.Executable },
            ["backend"] = c.Backend,
            ["semantics"] = c.Semantics.Name,
            ["exit_code"] = code,
            ["complete"] = results.Count == traceCount,
            ["interrupted"] = interrupted,
            ["traces"] = traces,
        };
        return root.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n";
    }
}
