using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Replay;

/// <summary>One replayed step: the trace step, the model's transition, and what a program observes after it.</summary>
internal sealed record ReplayedStep(int Number, TraceStep Step, Transition Transition, Observation Observation);

/// <summary>
/// A whole replay: the steps, then the predicted process exit. <see cref="ExitEvents"/> are those of the
/// implicit <c>Py_Finalize</c> at exit (empty if the trace finalized or crashed itself).
/// </summary>
internal sealed record ReplayResult(
    Trace Trace,
    Configuration Configuration,
    IReadOnlyList<ReplayedStep> Steps,
    State Final,
    Outcome Exit,
    IReadOnlyList<Event> ExitEvents)
{
    public Catalogue Catalogue => Configuration.Catalogue;

    /// <summary>The exit as the model's observer names it (outcome, message, signal), like each step's.</summary>
    public Observation ExitObservation => Observer.Observe(Final, Exit, Catalogue);

    /// <summary>The step whose crash ended the process, if any.</summary>
    public ReplayedStep? CrashStep => Steps.FirstOrDefault(s => s.Transition.Outcome.Kind == OutcomeKind.Crash);

    /// <summary>The predicted exit status: 134 for SIGABRT, 139 for SIGSEGV (as a shell reports them), else 0.</summary>
    public int ExitCode => (CrashStep?.Transition.Outcome ?? Exit).Crash switch
    {
        CrashKind.Abort => 134,
        CrashKind.Segfault => 139,
        _ => 0,
    };
}
