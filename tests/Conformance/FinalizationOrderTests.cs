using Verify.Model;
using Xunit;
using Verify.Tests.Scenarios;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Conformance;

/// <summary>
/// 3.13's <c>_Py_Finalize</c> clears main's modules before it ends the remaining subinterpreters. Expected values are
/// CPython's, recorded in specs/conformance/t12-313-fini-order.cpython-*.probe.observed.json: 3.13.0 runs all four steps
/// and aborts at exit (SIGABRT); 3.12.1 aborts in step 4 (clear_extension frees main's m_copy under the isolated
/// interpreter's obmalloc).
/// </summary>
public class FinalizationOrderTests
{
    private static readonly Verify.Model.Action[] Steps = [Imp(0, X), New(1, InterpKind.IsolatedOverride), Imp(1, X), Clear(1, X)];

    [Fact]
    public void On_3_13_an_isolated_interpreter_left_at_exit_frees_main_objects_after_main_dropped_them()
    {
        var t = Run(V313, Steps);
        t.AssertAllOk();
        var exit = Config(V313).Exit(t.Final);
        Assert.Equal(OutcomeKind.Crash, exit.Kind);
        Assert.Equal(CrashKind.Abort, exit.Crash);
    }

    [Fact]
    public void On_3_12_the_same_trace_aborts_in_the_clear_extension_step()
    {
        var t = Run(V312, Steps);
        Assert.Equal(OutcomeKind.Crash, t[3].Outcome.Kind);
        Assert.Equal(CrashKind.Abort, t[3].Outcome.Crash);
    }
}
