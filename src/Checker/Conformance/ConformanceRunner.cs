using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Checker.Commands;
using Verify.Checker.Replay;
using Verify.Checker.Specs;
using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Conformance;

/// <summary>
/// The verdict on one trace: the model and CPython agree on every step and the exit, or not; or they differ only by a
/// known crash of CPython's own test module (<see cref="ConformanceRunner.StdlibStateCrash"/>), which is outside the model.
/// Interrupted: Ctrl-C or SIGTERM came while CPython ran the trace, so there is no verdict on it.
/// </summary>
internal enum TraceStatus { Agree, Disagree, Skipped, Error, TestModuleCrash, Interrupted }

/// <summary>One trace compared: its verdict, the first divergence if any, the fields skipped and why.</summary>
internal sealed record TraceComparison(
    string Trace,
    TraceStatus Status,
    string? Reason,
    int Steps,
    int Runs,
    int RunsAgreeing,
    Divergence? Divergence,
    IReadOnlyDictionary<string, string> SkippedFields,
    CpythonExit? CpythonExit,
    string? ModelExit);

/// <summary>
/// Runs traces on the model and on real CPython and compares them (issue 6). The model side is
/// <see cref="Replayer"/> on the built-in catalogue; the CPython side is the driver in a child process.
/// </summary>
/// <param name="embed">the embedding program (probe backend only), which adds the builtin <c>_testbuiltin</c>; null without it</param>
internal sealed class ConformanceRunner(PythonTarget python, Semantics semantics, string backend, string? probe, TimeSpan limit, string? embed = null)
{
    public PythonTarget Python { get; } = python;
    public Semantics Semantics { get; } = semantics;
    public string Backend { get; } = backend;

    /// <summary>The model's replay of a trace, or why the trace does not apply to this semantics.</summary>
    public static (ReplayResult? Result, string? NotApplicable) Model(Trace trace, Semantics semantics)
    {
        var setup = ReplaySetup.For(trace, semantics, SpecFile.Default());
        try
        {
            return (Replayer.Run(setup.Trace, setup.Actions, setup.Configuration), null);
        }
        catch (InputException e)
        {
            // A step whose precondition fails here (isolated modes on 3.11, clear_extension before 3.12):
            // the trace is about other versions.
            return (null, e.Message);
        }
    }

    /// <summary>
    /// Compares <paramref name="trace"/> over <paramref name="runs"/> CPython runs. When <paramref name="cancel"/> comes
    /// before every run has ended, the running CPython is killed and the trace is <see cref="TraceStatus.Interrupted"/>,
    /// whatever the runs before showed; nothing is recorded then unless the first run had already ended.
    /// </summary>
    public TraceComparison Run(Trace trace, int runs, string? recordTo, CancellationToken cancel = default)
    {
        var (model, notApplicable) = Model(trace, Semantics);
        if (model is null) return Skip(trace, $"not applicable to {Semantics.Name}: {notApplicable}");
        var provided = ModulesOf(Backend, embed is not null);
        var missing = trace.Steps.Where(s => s.Mod is not null && !provided.Contains(s.Mod)).Select(s => s.Mod!).Distinct().ToList();
        if (missing.Count > 0)
            return Skip(trace, $"the {Backend} backend does not provide {string.Join(", ", missing)} (it has {string.Join(", ", provided)})");

        TraceComparison? first = null;
        var agreeing = 0;
        for (var r = 0; r < runs; r++)
        {
            CpythonRun real;
            try
            {
                real = CpythonRun.Execute(Python, Backend, probe, trace, limit, embed, cancel);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                return new TraceComparison(trace.Source, TraceStatus.Interrupted, $"interrupted while CPython ran it (run {r + 1} of {runs})",
                    trace.Steps.Count, r + 1, agreeing, null, new Dictionary<string, string>(), null, null);
            }
            catch (ConformanceException e)
            {
                return new TraceComparison(trace.Source, TraceStatus.Error, e.Message, trace.Steps.Count, r + 1, agreeing, null, new Dictionary<string, string>(), null, null);
            }
            if (real.Skipped is { } why) return Skip(trace, why);
            if (recordTo is not null && r == 0) Recorded.Write(recordTo, trace, Python, Backend, real);
            var skipped = new SortedDictionary<string, string>(StringComparer.Ordinal);
            var d = ObservationComparer.Compare(model, real.Steps, real.Exit, skipped);
            if (d is null) agreeing++;
            var c = new TraceComparison(trace.Source, d is null ? TraceStatus.Agree : TraceStatus.Disagree, null, trace.Steps.Count, runs, 0, d, skipped, real.Exit, ModelExitText(model));
            // Report the first disagreeing run if there is one: a nondeterministic crash must not hide.
            if (first is null || (first.Status == TraceStatus.Agree && d is not null)) first = c;
        }
        var status = agreeing == runs ? TraceStatus.Agree : TraceStatus.Disagree;
        if (status == TraceStatus.Disagree && Backend == "stdlib" && StdlibStateCrash(model, first!.Divergence) is { } explained)
            return first with { Status = TraceStatus.TestModuleCrash, RunsAgreeing = agreeing, Reason = explained };
        return first! with { Status = status, RunsAgreeing = agreeing };
    }

    /// <summary>
    /// Where CPython's own <c>_testsinglephase</c> (3.12+) differs from the model's catalogue, which keeps only counters in
    /// C globals (as the probe does; the probe agrees on these traces). Returns why a divergence is one of these, else null:
    /// <list type="number">
    /// <item>The module keeps the error type (and two constants) of the basic def's last init in a C global and frees them at
    /// the next init of that def or of <c>_basic_copy</c> (<c>clear_state</c> in <c>init__testsinglephase_basic</c>). When
    /// nothing else holds them any more (the model's error type of that init is gone) and the last init ran under another
    /// obmalloc than this one (an isolated interpreter, or main before an isolated one), that free hands glibc a foreign
    /// pointer: CPython crashes in step k, where the model runs such an init.</item>
    /// <item>The model's crash in step k frees the <c>obj</c> list, a value the probe has and <c>_testsinglephase</c> has not.</item>
    /// </list>
    /// </summary>
    public static string? StdlibStateCrash(ReplayResult model, Divergence? d)
    {
        if (d?.Step is not { } k) return null;
        var cat = model.Catalogue;
        var basic = cat.Defs[cat.DefIndexOf(cat.ModuleIndex(DefaultCatalogue.TestSinglePhase))].Globals;
        bool Basic(InitRan i) => cat.Defs[i.Def].Globals == basic && cat.Defs[i.Def].MSize == -1;
        var before = k == 1 ? model.Configuration.Initial() : model.Steps[k - 2].Transition.State;
        var step = model.Steps[k - 1];
        int Domain(State s, int i) => s.Interps[i].OwnAllocator ? i : Interp.Main;

        if (d.Cpython?["outcome"]?.GetValue<string>() == "crash" && step.Transition.Events.OfType<InitRan>().FirstOrDefault(Basic) is { } now)
        {
            for (var j = k - 2; j >= 0; j--)
            {
                var earlier = model.Steps[j];
                if (earlier.Transition.Events.OfType<InitRan>().LastOrDefault(Basic) is not { } last) continue;
                var gone = !before.Heap.AsSpan().ToArray().Any(o => o.Kind == ObjKind.Type && o.Def == last.Def && o.Serial == last.Serial);
                return gone && Domain(earlier.Transition.State, last.Interp) != Domain(before, now.Interp)
                    ? $"CPython's _testsinglephase frees, at step {k}'s init in {Interp.Name(now.Interp)}, the error type that step " +
                      $"{earlier.Number}'s init made in {Interp.Name(last.Interp)} (another obmalloc) and left in its C globals: a crash of the test module"
                    : null;
            }
            return null;
        }
        if (step.Transition.Outcome.Kind == OutcomeKind.Crash && d.Cpython?["outcome"]?.GetValue<string>() != "crash")
        {
            var semantics = model.Configuration.Semantics;
            var hazard = Hazards.InEvents(before, step.Transition.Events).FirstOrDefault(h => semantics.CrashFor(h.Kind) is not null);
            if (hazard?.Object.Kind == ObjKind.List)
                return $"the model's crash in step {k} frees the obj list ({Objects.Describe(hazard.Object, cat)}), a value the probe has " +
                       "and CPython's _testsinglephase has not";
        }
        return null;
    }

    private TraceComparison Skip(Trace trace, string reason) =>
        new(trace.Source, TraceStatus.Skipped, reason, trace.Steps.Count, 0, 0, null, new Dictionary<string, string>(), null, null);

    public static string ModelExitText(ReplayResult model)
    {
        if (model.CrashStep is { } s) return $"crash in step {s.Number} ({s.Observation.Signal})";
        var x = model.ExitObservation;
        return x.Outcome == "crash" ? $"crash at finalization ({x.Signal})" : "clean";
    }

    public static string CpythonExitText(CpythonExit x) =>
        x.Outcome == "not_run" ? $"crash in a step ({x.Signal})" : x.Signal is null ? "clean" : $"crash at finalization ({x.Signal})";

    /// <summary>The catalogue names CPython's own <c>_testsinglephase</c> (3.12+) provides.</summary>
    public static readonly IReadOnlyList<string> StdlibModules =
    [
        DefaultCatalogue.TestSinglePhase, DefaultCatalogue.BasicWrapper, DefaultCatalogue.BasicCopy,
        DefaultCatalogue.WithReinit, DefaultCatalogue.WithState,
    ];

    /// <summary>The probe's: the same, plus the multi-phase module and the HOWTO's opt-out.</summary>
    public static readonly IReadOnlyList<string> ProbeModules = [.. StdlibModules, DefaultCatalogue.MultiPhase, DefaultCatalogue.OptOut];

    /// <summary>What a backend provides; the probe with the embedding program also has the builtin (T8).</summary>
    public static IReadOnlyList<string> ModulesOf(string backend, bool embedded = false) =>
        backend == "stdlib" ? StdlibModules : embedded ? [.. ProbeModules, DefaultCatalogue.Builtin] : ProbeModules;
}

/// <summary>
/// Observations recorded from a real interpreter, written next to the trace as
/// <c>TRACE.cpython-VERSION.BACKEND.observed.json</c>, and read back to replay against the model without CPython.
/// </summary>
internal static class Recorded
{
    public const string Suffix = ".observed.json";

    public static string PathFor(string trace, string version, string backend)
    {
        var dir = Path.GetDirectoryName(trace) ?? "";
        var stem = Path.GetFileNameWithoutExtension(trace);
        return Path.Combine(dir, $"{stem}.cpython-{version}.{backend}{Suffix}");
    }

    public static void Write(string trace, Trace parsed, PythonTarget python, string backend, CpythonRun run)
    {
        var steps = new JsonArray();
        foreach (var s in run.Steps)
        {
            steps.Add(new JsonObject
            {
                ["step"] = s.Number,
                ["op"] = TraceWriter.StepObject(parsed.Steps[s.Number - 1]),
                ["outcome"] = s.Outcome,
                ["signal"] = s.Signal,
                ["observation"] = s.Observation?.DeepClone(),
                ["unavailable"] = new JsonObject(s.Unavailable.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            });
        }
        var root = new JsonObject
        {
            ["recorded_by"] = "verify conform --record (observations of a real CPython run; never edit by hand)",
            ["python"] = python.Version,
            ["backend"] = backend,
            ["trace"] = Path.GetFileName(trace),
            ["steps"] = steps,
            ["exit"] = new JsonObject
            {
                ["outcome"] = run.Exit.Outcome,
                ["signal"] = run.Exit.Signal,
                ["exit_code"] = run.Exit.ExitCode,
                ["during"] = run.Exit.During,
            },
        };
        Reports.AtomicFile.WriteAllText(PathFor(trace, python.Version, backend), root.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }) + "\n");
    }

    /// <summary>
    /// Replays a recorded file's trace on the model (the semantics of the recorded Python version) and compares it with
    /// the recorded observations: the CI check that needs no CPython. Null divergence means agreement.
    /// </summary>
    public static (Divergence? Divergence, string Semantics, IReadOnlyDictionary<string, string> Skipped) CompareWithModel(string observedPath)
    {
        var (version, _, traceFile, run) = Read(observedPath);
        var semantics = PythonTarget.SemanticsFor(version) ?? throw new InputException($"{observedPath}: no model semantics for CPython {version}");
        var trace = TraceParser.ParseFile(Path.Combine(Path.GetDirectoryName(observedPath) ?? "", traceFile));
        var (model, notApplicable) = ConformanceRunner.Model(trace, ReplaySetup.FindSemantics(semantics));
        if (model is null) throw new InputException($"{observedPath}: the trace does not apply to {semantics}: {notApplicable}");
        var skipped = new SortedDictionary<string, string>(StringComparer.Ordinal);
        return (ObservationComparer.Compare(model, run.Steps, run.Exit, skipped), semantics, skipped);
    }

    /// <summary>A recorded file: the Python version it came from, and the run as the comparison takes it.</summary>
    public static (string Version, string Backend, string TraceFile, CpythonRun Run) Read(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var steps = root["steps"]!.AsArray().Select(s => new CpythonStep(
            (int)s!["step"]!, (string)s["outcome"]!, (string?)s["signal"], s["observation"] as JsonObject,
            s["unavailable"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!))).ToList();
        var x = root["exit"]!;
        var exit = new CpythonExit((string)x["outcome"]!, (string?)x["signal"], (int)x["exit_code"]!, (string?)x["during"], "");
        return ((string)root["python"]!, (string)root["backend"]!, (string)root["trace"]!, new CpythonRun(null, steps, exit));
    }
}
