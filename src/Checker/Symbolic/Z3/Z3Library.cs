namespace Verify.Checker.Symbolic.Z3;

/// <summary>Whether libz3 can be loaded, checked once per process.</summary>
public static class Z3Library
{
    private static readonly Lazy<(bool Ok, string? Version)> Probe = new(() => (Z3Native.TryLoad(out var v), v));

    public const string Missing =
        "the symbolic engines need the Z3 library (libz3.so.4), which is not installed: on Debian or Ubuntu, " +
        "'apt install libz3-4'. The other engines (verify check, random, replay) do not need it";

    public static bool Available => Probe.Value.Ok;

    /// <summary>Z3's own version string, such as "Z3 4.8.12.0"; null when the library is missing.</summary>
    public static string? Version => Probe.Value.Version;

    /// <summary>A missing library is bad setup, reported like bad input (exit 2) with the package to install.</summary>
    internal static void EnsureAvailable()
    {
        if (!Available) throw new InputException(Missing);
    }
}
