namespace Verify.Checker;

/// <summary>Process exit codes of the <c>verify</c> command (sysexits-style for the internal error).</summary>
public static class ExitCodes
{
    /// <summary>the command ran; a replay exits 0 whatever the modelled outcomes were</summary>
    public const int Ok = 0;
    /// <summary>a search found a property violated (or a sometimes-property never seen)</summary>
    public const int Violated = 1;
    /// <summary>bad input: trace, spec, semantics name or command line</summary>
    public const int BadInput = 2;
    /// <summary>a limit (states, seconds, memory) stopped a search before the fixpoint: nothing proved</summary>
    public const int Incomplete = 3;
    /// <summary>a bug in Verify (EX_SOFTWARE)</summary>
    public const int Internal = 70;
}
