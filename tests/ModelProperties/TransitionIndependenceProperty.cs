using FsCheck.Fluent;
using Verify.Model;
using Verify.Tests.FsCheckSupport;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// A transition depends on its state and action only, never on the transitions computed before it: the model reuses
/// one workspace per thread (and the tables of the state it starts from), so a step computed after a different
/// step must give the same state, events and outcome. Every enabled action of every state of a trace is applied
/// in one order and then in the reverse order (so each step follows a different predecessor), on the state and on
/// a rebuilt copy of it; the results must agree, the heap must pass the audit, and freezing must be idempotent
/// (a no-op reload returns an equal state).
/// </summary>
public sealed class TransitionIndependenceProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void A_transition_does_not_depend_on_the_transitions_before_it(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            var pairs = new List<(int K, State S, Action A)>();
            for (var k = 0; k < states.Count; k++)
                foreach (var a in cfg.Actions(states[k])) pairs.Add((k, states[k], a));
            var forward = pairs.Select(p => Step(p.S, p.A)).ToList();
            for (var j = pairs.Count - 1; j >= 0; j--)
            {
                var (k, s, a) = pairs[j];
                Same(t, k, a, forward[j], Step(StateStructure.Rebuild(s), a));
            }
        }), runs: 40);

        Transition Step(State s, Action a) => cfg.Step(s, a);

        void Same(Trace t, int k, Action a, Transition x, Transition y)
        {
            var what = ActionText.Describe(a, cfg.Catalogue);
            if (!StateStructure.Same(x.State, y.State) || !x.State.Equals(y.State))
                throw t.Violation(k, $"{what}: the state after it depends on the step computed before");
            if (!x.Outcome.Equals(y.Outcome)) throw t.Violation(k, $"{what}: outcomes {x.Outcome} vs {y.Outcome}");
            if (!x.Events.SequenceEqual(y.Events)) throw t.Violation(k, $"{what}: the events depend on the step computed before");
            if (HeapAudit.Check(x.State) is [var problem, ..]) throw t.Violation(k, $"{what}: {problem}");
            var reload = cfg.Actions(x.State).OfType<Reload>().FirstOrDefault();
            if (reload is not null && !StateStructure.Same(cfg.Step(x.State, reload).State, x.State))
                throw t.Violation(k, $"{what}: a reload after it (a no-op) changes the state");
        }
    }
}
