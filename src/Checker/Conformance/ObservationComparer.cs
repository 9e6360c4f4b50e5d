using System.Text.Json;
using System.Text.Json.Nodes;
using Verify.Checker.Replay;
using Verify.Model;

namespace Verify.Checker.Conformance;

/// <summary>One field on which the model and CPython differ after a step (or at exit).</summary>
internal sealed record FieldDifference(string Field, string Model, string Cpython);

/// <summary>The first step (or the exit, <see cref="Step"/> null) where the two sides differ, with both observations.</summary>
internal sealed record Divergence(int? Step, string Action, IReadOnlyList<FieldDifference> Fields, JsonNode? Model, JsonNode? Cpython);

/// <summary>
/// Compares the model's replay with CPython's run step by step, on the observation's fields (docs/conformance.md):
/// <list type="bullet">
/// <item>a field the driver could not read on that Python is skipped, with the driver's reason;</item>
/// <item><c>m_index</c> values are compared by rank among the nonzero indices each side ever showed, since CPython
/// numbers every module it loads and the model only the catalogue's: the order and equality of assignments matter, not the numbers;</item>
/// <item>after a crash, a finalize step or at exit only the outcome and the signal are compared: nothing else can be read.</item>
/// </list>
/// </summary>
internal static class ObservationComparer
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject ModelJson(Observation o) => JsonSerializer.SerializeToNode(o, Options)!.AsObject();

    /// <summary>The first divergence, or null when every step and the exit agree. <paramref name="skipped"/> collects the skipped fields and why.</summary>
    public static Divergence? Compare(ReplayResult model, IReadOnlyList<CpythonStep> steps, CpythonExit exit, IDictionary<string, string> skipped)
    {
        var modelRanks = Ranks(model.Steps.Select(s => ModelJson(s.Observation)));
        var cpythonRanks = Ranks(steps.Select(s => s.Observation).OfType<JsonObject>());
        for (var k = 0; k < model.Steps.Count; k++)
        {
            var m = model.Steps[k];
            var c = steps[k];
            if (m.Transition.Outcome.Crash == CrashKind.Segfault && c.Outcome != "crash")
            {
                // The model stops here; CPython went on, so nothing after this step can be compared.
                skipped[DeadOwnerNote] = DeadOwnerWhy;
                return null;
            }
            var mj = ModelJson(m.Observation);
            var diffs = CompareStep(mj, c, modelRanks, cpythonRanks, skipped);
            if (diffs.Count > 0)
                return new Divergence(m.Number, ActionText.Describe(m.Transition.Action, model.Catalogue), diffs, mj, (JsonNode?)c.Observation?.DeepClone() ?? Summary(c.Outcome, c.Signal));
        }
        var mx = model.ExitObservation;
        var modelSignal = model.CrashStep?.Observation.Signal ?? mx.Signal;
        var exitDiffs = new List<FieldDifference>();
        if (model.CrashStep is null && model.Exit.Crash == CrashKind.Segfault && exit.Signal is null && exit.Outcome == "ok")
        {
            skipped[DeadOwnerNote] = DeadOwnerWhy;
            return null;
        }
        Check(exitDiffs, "exit.outcome", mx.Outcome, exit.Outcome);
        if (!SignalsAgree(modelSignal, exit.Signal, skipped))
        {
            Check(exitDiffs, "exit.signal", modelSignal, exit.Signal);
            Check(exitDiffs, "exit.exit_code", model.ExitCode, exit.ExitCode);
        }
        return exitDiffs.Count == 0 ? null
            : new Divergence(null, "exit (Py_Finalize at the end of the process)", exitDiffs,
                new JsonObject { ["outcome"] = mx.Outcome, ["signal"] = modelSignal, ["exit_code"] = model.ExitCode, ["message"] = mx.Message },
                new JsonObject { ["outcome"] = exit.Outcome, ["signal"] = exit.Signal, ["exit_code"] = exit.ExitCode, ["during"] = exit.During, ["stderr"] = exit.Stderr });
    }

    /// <summary>
    /// The model's SIGABRT is always a free of another obmalloc's memory handed to glibc (CrashKind.Abort). What glibc
    /// then does depends on the bytes before the pointer: its checks abort ("free(): invalid pointer"), or reading a
    /// bogus chunk header faults first. d2-rename-isolated-override on 3.12.1 gave SIGABRT in 5 of 5 runs, then, after
    /// a change only in the driver's Python code, SIGSEGV in 30 of 30. So a SIGSEGV there counts as the predicted crash.
    /// </summary>
    private static bool SignalsAgree(string? model, string? cpython, IDictionary<string, string> notes)
    {
        if (model == cpython) return true;
        if (model == "SIGABRT" && cpython == "SIGSEGV")
        {
            notes["signal (SIGABRT predicted, SIGSEGV seen)"] = "a foreign-obmalloc free reaches glibc, which aborts or segfaults depending on the memory layout; accepted as the predicted crash";
            return true;
        }
        return false;
    }

    /// <summary>The note a comparison leaves when CPython survived a dead-owner free the model predicts to segfault.</summary>
    public const string DeadOwnerNote = "crash (dead-owner free predicted, CPython survived it)";

    /// <summary>
    /// The model's only SIGSEGV is a dead-owner free (3.12.1, gh-116510): an object of an ended interpreter is freed, and
    /// untracking it writes to its GC list neighbours. It faults only when a neighbour is the dead interpreter's list head
    /// (freed with its interpreter state); a neighbour that is another survivor is still valid memory. The model has no
    /// list order, so its segfault is a possible crash, not a certain one: CPython running on is accepted, and nothing after
    /// that point is compared. CPython crashing where the model predicts none is never accepted.
    /// </summary>
    private const string DeadOwnerWhy =
        "an object of an ended interpreter was freed (gh-116510); 3.12.1 segfaults only if it sits next to the dead interpreter's " +
        "GC list head, an order the model does not keep; CPython running on is accepted and the rest of the trace is not compared";

    private static JsonObject Summary(string outcome, string? signal) => new() { ["outcome"] = outcome, ["signal"] = signal };

    private static List<FieldDifference> CompareStep(JsonObject m, CpythonStep c, Dictionary<long, int> mr, Dictionary<long, int> cr, IDictionary<string, string> skipped)
    {
        var diffs = new List<FieldDifference>();
        Check(diffs, "outcome", (string?)m["outcome"], c.Outcome);
        if (diffs.Count > 0) return diffs;
        if (c.Observation is not { } o)
        {
            // A crash, a step not run, or the finalize step: only the signal is left to compare.
            if (!SignalsAgree((string?)m["signal"], c.Signal, skipped)) Check(diffs, "signal", (string?)m["signal"], c.Signal);
            return diffs;
        }
        if (c.Outcome == "import_error") Check(diffs, "message", (string?)m["message"], (string?)o["message"]);

        Check(diffs, "interpreters", m["interpreters"]!.ToJsonString(), o["interpreters"]!.ToJsonString());

        CompareKeyed(diffs, skipped, c.Unavailable, "modules", m["modules"]!.AsArray(), o["modules"]!.AsArray(),
            e => $"{Slot((int)e["i"]!)}:{e["mod"]}",
            ["init_created", "init_interp", "init_serial", "initialized_count", "look_up_self_is_module", "obj_rebound"], null, null);
        CompareKeyed(diffs, skipped, c.Unavailable, "sharing", m["sharing"]!.AsArray(), o["sharing"]!.AsArray(),
            e => $"{e["mod"]}:{Slot((int)e["i"]!)}/{Slot((int)e["j"]!)}", ["module", "dict", "values"], null, null);

        // Defs: only those the driver can read; the rest are skipped with its reason.
        var cpDefs = o["defs"]!.AsArray().Select(d => (string)d!["def"]!).ToHashSet();
        var modelDefs = new JsonArray();
        foreach (var d in m["defs"]!.AsArray())
        {
            if (cpDefs.Contains((string)d!["def"]!)) modelDefs.Add(d.DeepClone());
            else skipped[$"defs[{d["def"]}]"] = c.Unavailable.TryGetValue("defs", out var why) ? why : "the driver does not read this def";
        }
        CompareKeyed(diffs, skipped, c.Unavailable, "defs", modelDefs, o["defs"]!.AsArray(), e => (string)e["def"]!,
            ["m_index", "m_init", "m_copy_set", "m_copy_refcount", "m_copy_owner"], mr, cr);

        if (c.Unavailable.TryGetValue("cached", out var cachedWhy)) skipped["cached"] = cachedWhy;
        else Check(diffs, "cached", m["cached"]!.ToJsonString(), o["cached"]?.ToJsonString());
        return diffs;
    }

    private static void CompareKeyed(List<FieldDifference> diffs, IDictionary<string, string> skipped, IReadOnlyDictionary<string, string> unavailable,
        string section, JsonArray model, JsonArray cpython, Func<JsonNode, string> key, string[] fields,
        Dictionary<long, int>? modelRanks, Dictionary<long, int>? cpythonRanks)
    {
        var ms = model.ToDictionary(e => key(e!), e => e!);
        var cs = cpython.ToDictionary(e => key(e!), e => e!);
        foreach (var k in ms.Keys.Except(cs.Keys)) diffs.Add(new FieldDifference($"{section}[{k}]", "present", "absent"));
        foreach (var k in cs.Keys.Except(ms.Keys)) diffs.Add(new FieldDifference($"{section}[{k}]", "absent", "present"));
        foreach (var k in ms.Keys.Intersect(cs.Keys))
            foreach (var f in fields)
            {
                var name = $"{section}.{f}";
                if (unavailable.TryGetValue(name, out var why)) { skipped[name] = why; continue; }
                var c = cs[k][f];
                if (c is null && cs[k] is JsonObject co && !co.ContainsKey(f)) { skipped[name] = "some modules lack it on this backend (CPython's _with_reinit and _with_state have no initialized_count())"; continue; }
                if (c is JsonValue cv && cv.TryGetValue<string>(out var text) && text == "unknown") { skipped[name] = "the driver could not tell (it reported 'unknown')"; continue; }
                var mv = Text(ms[k][f]);
                var cvText = Text(c);
                if (f == "m_index" && modelRanks is not null)
                {
                    mv = RankText(ms[k][f], modelRanks);
                    cvText = RankText(c, cpythonRanks!);
                }
                if (mv != cvText) diffs.Add(new FieldDifference($"{section}[{k}].{f}", mv, cvText));
            }
    }

    /// <summary>Every nonzero <c>m_index</c> a side showed, numbered 1, 2, ... in increasing order.</summary>
    private static Dictionary<long, int> Ranks(IEnumerable<JsonObject> observations)
    {
        var values = new SortedSet<long>();
        foreach (var o in observations)
            if (o["defs"] is JsonArray defs)
                foreach (var d in defs)
                    if (d!["m_index"] is JsonValue v && v.TryGetValue<long>(out var n) && n != 0) values.Add(n);
        return values.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i + 1);
    }

    private static string RankText(JsonNode? n, Dictionary<long, int> ranks) =>
        n is JsonValue v && v.TryGetValue<long>(out var x) ? (x == 0 ? "0 (unassigned)" : $"#{ranks[x]} (the {Ordinal(ranks[x])} index assigned)") : Text(n);

    private static string Ordinal(int n) => n switch { 1 => "1st", 2 => "2nd", 3 => "3rd", _ => $"{n}th" };

    private static string Slot(int i) => i == 0 ? "main" : $"sub{i}";

    private static string Text(JsonNode? n) => n is null ? "null" : n.ToJsonString(Options);

    private static void Check<T>(List<FieldDifference> diffs, string field, T model, T cpython)
    {
        if (!EqualityComparer<T>.Default.Equals(model, cpython))
            diffs.Add(new FieldDifference(field, model?.ToString() ?? "null", cpython?.ToString() ?? "null"));
    }
}
