namespace Verify.Model;

public enum OutcomeKind : byte { Ok, ImportError, Crash, NotRun }

public enum CrashKind : byte
{
    /// <summary>SIGSEGV (exit 139): GC links into a dead interpreter's freed GC state (3.12.1, gh-116510)</summary>
    Segfault,
    /// <summary>SIGABRT (exit 134): glibc's "free(): invalid pointer" for memory of another obmalloc</summary>
    Abort,
}

/// <summary>What a program observes of one step.</summary>
public sealed record Outcome(OutcomeKind Kind, string? Message = null, CrashKind? Crash = null)
{
    public static Outcome Ok { get; } = new(OutcomeKind.Ok);
    public static Outcome NotRun { get; } = new(OutcomeKind.NotRun, "the process had already crashed");
    public static Outcome Error(string message) => new(OutcomeKind.ImportError, message);
    public static Outcome Crashed(CrashKind kind, string why) => new(OutcomeKind.Crash, why, kind);

    public override string ToString() => Kind switch
    {
        OutcomeKind.Ok => "ok",
        OutcomeKind.ImportError => $"ImportError: {Message}",
        OutcomeKind.Crash => $"crash ({(Crash == CrashKind.Abort ? "SIGABRT" : "SIGSEGV")}): {Message}",
        _ => "not run",
    };
}
