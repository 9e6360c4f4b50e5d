using System.Text.Json.Nodes;
using Verify.Checker.Traces;

namespace Verify.Checker.Conformance;

/// <summary>What real CPython did on one step: the observation the driver printed, or the crash that ended it.</summary>
/// <param name="Observation">the model-shaped observation (null for a crashed, not-run or finalize step: nothing can be read then)</param>
/// <param name="Unavailable">field → why the driver could not read it on this Python; the comparison skips those</param>
internal sealed record CpythonStep(int Number, string Outcome, string? Signal, JsonObject? Observation, IReadOnlyDictionary<string, string> Unavailable);

/// <summary>The process's end as the model's exit names it: ok, crash (with the signal) or not_run (a step crashed).</summary>
internal sealed record CpythonExit(string Outcome, string? Signal, int ExitCode, string? During, string Stderr);

/// <summary>One run of a trace on real CPython through the driver.</summary>
/// <param name="Skipped">why the trace could not run on this Python or backend (then the rest is empty)</param>
internal sealed record CpythonRun(string? Skipped, IReadOnlyList<CpythonStep> Steps, CpythonExit Exit)
{
    /// <summary>
    /// Runs <c>driver.py run</c> with <paramref name="python"/> on <paramref name="trace"/>. The driver runs the
    /// trace in a child process and streams one record per step, so a crash leaves every step before it.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> came while CPython ran the trace: the driver
    /// and its child were killed, and the run says nothing about CPython.</exception>
    public static CpythonRun Execute(PythonTarget python, string backend, string? probe, Trace trace, TimeSpan limit, string? embed = null,
        CancellationToken cancel = default)
    {
        // One folder per run holds the trace and the driver's scratch files; it goes when the run ends, however it ends
        // (the driver's own clean-up would not run when it is killed). The trace's name in the folder's makes `ps` say
        // which trace a python process runs.
        var work = Path.Combine(Path.GetTempPath(), $"verify-conform-{NamePart(trace.Source)}-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var file = Path.Combine(work, "trace.json");
            File.WriteAllText(file, TraceWriter.ToJson(trace with { Metadata = [] }));
            List<string> args = [ConformanceFiles.Driver, "run", file, "--workdir", work];
            if (backend == "stdlib") args.Add("--stdlib");
            else args.AddRange(["--probe", probe!]);
            if (embed is not null) args.AddRange(["--embed", embed]);
            // Verify stops the driver itself (it kills the process tree): a terminal's Ctrl-C, which reaches the whole
            // process group, must not end the trace first and pass for CPython's behaviour.
            args.Add("--ignore-sigint");
            ProcessRunner.Result r;
            try
            {
                r = ProcessRunner.Run(python.Executable, args, limit, cancel);
            }
            catch (ProcessRunner.Failure e)
            {
                throw new ConformanceException($"{trace.Source} on CPython {python.Version}: {e.Message}");
            }
            return Parse(r.Stdout, trace.Steps.Count, trace.Steps.Count > 0 && trace.Steps[^1].Op == TraceOps.Finalize,
                $"{trace.Source} on CPython {python.Version}", r.Stderr);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A scratch folder that cannot be removed is not worth failing the comparison for.
            }
        }
    }

    /// <summary>Reads the driver's records (one JSON object per line) into per-step results and the exit.</summary>
    public static CpythonRun Parse(string output, int stepCount, bool finalizes, string where, string stderr = "")
    {
        var observed = new Dictionary<int, JsonObject>();
        JsonObject? exit = null;
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JsonObject rec;
            try
            {
                rec = JsonNode.Parse(line)!.AsObject();
            }
            catch (Exception)
            {
                continue; // not a record (the driver prints only records; anything else is noise)
            }
            switch ((string?)rec["type"])
            {
                case "step": observed[(int)rec["step"]!] = rec; break;
                case "unsupported": return new CpythonRun((string?)rec["reason"] ?? "unsupported", [], new CpythonExit("not_run", null, 0, null, ""));
                case "driver_error":
                case "error":
                    throw new ConformanceException($"{where}: the driver failed: {rec["message"]}\n{rec["traceback"]}");
                case "exit": exit = rec; break;
            }
        }
        if (exit is null) throw new ConformanceException($"{where}: the driver printed no exit record. Its stderr: {stderr.Trim()}");

        var signal = (string?)exit["signal"];
        var during = (string?)exit["during"];
        var crashStep = (int?)exit["step"];
        var rc = (int)exit["returncode"]!;
        var tail = (string?)exit["stderr"] ?? "";
        if (signal is null && rc != 0)
            throw new ConformanceException($"{where}: the child exited {rc} without a signal, which no trace step explains. Its stderr:\n{tail}");

        var steps = new List<CpythonStep>();
        var crashed = false;
        for (var k = 1; k <= stepCount; k++)
        {
            if (observed.TryGetValue(k, out var rec))
            {
                var obs = rec["observation"]!.AsObject();
                var why = rec["unavailable"] is JsonObject u
                    ? u.ToDictionary(p => p.Key, p => (string?)p.Value ?? "")
                    : new Dictionary<string, string>();
                steps.Add(new CpythonStep(k, (string)obs["outcome"]!, null, obs, why));
            }
            else if (crashed) steps.Add(new CpythonStep(k, "not_run", null, null, Empty));
            else if (signal is not null && crashStep == k && during is "step" or "finalize_step")
            {
                steps.Add(new CpythonStep(k, "crash", signal, null, Empty));
                crashed = true;
            }
            else if (k == stepCount && finalizes)
                steps.Add(new CpythonStep(k, signal is null ? "ok" : "crash", signal, null, Empty));
            else
                throw new ConformanceException($"{where}: the driver reported nothing for step {k} and no crash there. Its stderr:\n{tail}");
        }
        var exitCode = signal switch { "SIGABRT" => 134, "SIGSEGV" => 139, null => 0, _ => 128 + Math.Abs(rc) };
        var outcome = crashed ? "not_run" : finalizes ? "ok" : signal is null ? "ok" : "crash";
        return new CpythonRun(null, steps, new CpythonExit(outcome, signal, exitCode, signal is null ? null : during, tail));
    }

    /// <summary>The trace file's name without its extension, in letters, digits, '-' and '_', at most 40 of them.</summary>
    private static string NamePart(string source)
    {
        var stem = Path.GetFileNameWithoutExtension(source);
        var safe = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').Take(40).ToArray());
        return safe.Length > 0 ? safe : "trace";
    }

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
}

/// <summary>The conformance run itself failed (the driver, the child, a time limit): not a verdict on the model.</summary>
internal sealed class ConformanceException(string message) : Exception(message);
