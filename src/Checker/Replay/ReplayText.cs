using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>
/// The human report as plain text (for pipes, files and tests): per step its number, action and outcome,
/// the notable events, then the observation; at the end the predicted exit.
/// </summary>
internal static class ReplayText
{
    public static void Render(ReplayResult r, string spec, TextWriter w, bool verboseEvents)
    {
        var cat = r.Catalogue;
        w.WriteLine($"replay {r.Trace.Source} under {r.Configuration.Semantics.Name} (catalogue: {spec}, {r.Configuration.Slots} subinterpreter slots)");
        if (r.Trace.Description is { } d) w.WriteLine("  " + d.Trim().Replace("\n", "\n  "));
        foreach (var s in r.Steps)
        {
            w.WriteLine();
            w.WriteLine($"step {s.Number}: {ActionText.Describe(s.Transition.Action, cat)} -> {s.Transition.Outcome}");
            foreach (var e in s.Transition.Events.Where(e => NotableEvents.IsNotable(e, verboseEvents)))
                w.WriteLine("  " + EventText.Describe(e, cat));
            // After a crash there is no process left to observe (the model's state still holds the whole step).
            if (s.Transition.Outcome.Kind is OutcomeKind.Crash or OutcomeKind.NotRun) continue;
            foreach (var line in ObservationText.Lines(s.Observation))
                w.WriteLine("    | " + line);
        }
        w.WriteLine();
        var notable = r.ExitEvents.Where(e => NotableEvents.IsNotable(e, verboseEvents)).ToList();
        if (notable.Count > 0)
        {
            w.WriteLine("at exit (implicit Py_Finalize):");
            foreach (var e in notable) w.WriteLine("  " + EventText.Describe(e, cat));
        }
        w.WriteLine("predicted exit: " + ExitSummary(r));
    }

    public static string ExitSummary(ReplayResult r) => r.CrashStep is { } c
        ? $"crashed at step {c.Number} ({c.Observation.Signal}, exit code {r.ExitCode})"
        : r.Exit.Kind == OutcomeKind.Crash
            ? $"{r.Exit} (exit code {r.ExitCode})"
            : "clean (exit code 0)";
}
