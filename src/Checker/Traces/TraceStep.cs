namespace Verify.Checker.Traces;

/// <summary>
/// One step as written in a trace, before it is bound to a catalogue: the op and its arguments by name.
/// <see cref="Line"/>/<see cref="Column"/> locate it in its file (0 for a step built in code).
/// </summary>
internal sealed record TraceStep(string Op, int? I = null, string? Mode = null, string? Mod = null, int Line = 0, int Column = 0)
{
    public static TraceStep NewInterp(int i, string mode) => new(TraceOps.NewInterp, i, Mode: mode);
    public static TraceStep EndInterp(int i) => new(TraceOps.EndInterp, i);
    public static TraceStep OnModule(string op, int i, string mod) => new(op, i, Mod: mod);
    public static TraceStep Finalize() => new(TraceOps.Finalize);
}
