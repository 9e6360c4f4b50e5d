using FsCheck.Fluent;
using Verify.Tests.FsCheckSupport;
using Xunit;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// (c) a transition is a function of the state and the action: replaying the same trace twice gives equal
/// states, equal event lists (element by element) and equal outcomes at every step. Replay, counterexamples
/// and the conformance driver all rely on it.
/// </summary>
public sealed class ReplayDeterminismProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void Replaying_a_trace_gives_equal_states_events_and_outcomes(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var (init1, run1) = t.Replay();
            var (init2, run2) = t.Replay();
            if (!init1.Equals(init2)) throw t.Violation(0, "two initial states differ");
            for (var k = 0; k < run1.Count; k++)
            {
                var (a, b) = (run1[k], run2[k]);
                if (!a.State.Equals(b.State)) throw t.Violation(k + 1, "the replayed states differ");
                if (!a.Outcome.Equals(b.Outcome)) throw t.Violation(k + 1, $"outcomes differ: {a.Outcome} vs {b.Outcome}");
                if (a.Events.Count != b.Events.Count)
                    throw t.Violation(k + 1, $"step {k + 1} emitted {a.Events.Count} events, then {b.Events.Count}");
                for (var e = 0; e < a.Events.Count; e++)
                    if (!a.Events[e].Equals(b.Events[e]))
                        throw t.Violation(k + 1, $"event {e} of step {k + 1} differs: {a.Events[e]} vs {b.Events[e]}");
            }
        }), runs: 200);
    }
}
