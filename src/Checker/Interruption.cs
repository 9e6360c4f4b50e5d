using System.Runtime.InteropServices;

namespace Verify.Checker;

/// <summary>
/// How a long command learns that it should stop early and still report: Ctrl-C (SIGINT), SIGTERM (what CI
/// runners and <c>timeout</c> send), or a token the caller passed in (tests). The first signal cancels
/// <see cref="Token"/> and suppresses the signal's default action, so the command finishes its current step,
/// writes its partial result marked incomplete and exits 3; a second signal of either kind is left to its
/// default action, which ends the process at once (for a user who does not want to wait).
/// One instance covers one command run; dispose it to restore the default handling.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly CancellationTokenSource source;
    private readonly List<PosixSignalRegistration> registrations = [];
    private int signalled;

    public Interruption(CancellationToken outer)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
        {
            try
            {
                registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
            catch (PlatformNotSupportedException)
            {
                // A platform without this signal simply cannot send it; the others still work.
            }
        }
    }

    public CancellationToken Token => source.Token;

    /// <summary>"SIGINT" or "SIGTERM" for a signal, "cancelled" for the caller's token, null while not interrupted.</summary>
    public string? Cause => Volatile.Read(ref cause) ?? (source.IsCancellationRequested ? "cancelled" : null);
    private string? cause;

    public bool IsInterrupted => source.IsCancellationRequested;

    private void OnSignal(PosixSignalContext context)
    {
        // The second signal keeps its default action (terminate): the escape hatch when stopping takes too long.
        if (Interlocked.Exchange(ref signalled, 1) == 1) return;
        context.Cancel = true;
        Volatile.Write(ref cause, context.Signal switch
        {
            PosixSignal.SIGINT => "SIGINT",
            PosixSignal.SIGTERM => "SIGTERM",
            var other => other.ToString(),
        });
        source.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in registrations) r.Dispose();
        source.Dispose();
    }
}
