using FsCheck.Fluent;
using Verify.Model;
using Verify.Tests.FsCheckSupport;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// (e) the enabled actions are a function of the state: equal states (the same state asked twice, a rebuilt
/// copy, or the same state reached by two different traces) enable the same actions in the same order.
/// Explorers deduplicate states, so anything else would make exploration depend on how a state was reached.
/// </summary>
public sealed class EnabledActionsDeterminismProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void Equal_states_enable_the_same_actions_in_the_same_order(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        PropertyCheck.Run(Prop.ForAll(TraceGen.Forking(cfg), ((Trace A, Trace B) p) =>
        {
            var (a, b) = (p.A.States(), p.B.States());
            var actionsA = a.Select(s => cfg.Actions(s).ToArray()).ToArray();
            var actionsB = b.Select(s => cfg.Actions(s).ToArray()).ToArray();
            for (var i = 0; i < a.Count; i++)
            {
                if (Mismatch(actionsA[i], cfg.Actions(a[i]).ToArray()) is { } again)
                    throw p.A.Violation(i, "asked twice, the state enables different actions: " + again);
                if (Mismatch(actionsA[i], cfg.Actions(StateStructure.Rebuild(a[i])).ToArray()) is { } copy)
                    throw p.A.Violation(i, "the state and its rebuilt copy enable different actions: " + copy);
            }
            for (var i = 0; i < a.Count; i++)
                for (var j = 0; j < b.Count; j++)
                    if (a[i].Equals(b[j]) && Mismatch(actionsA[i], actionsB[j]) is { } twins)
                        throw new TraceViolation($"equal states enable different actions: {twins}\n" +
                            $"state {i} of trace A and state {j} of trace B\nA: {p.A.Describe()}\nB: {p.B.Describe()}");
        }), runs: 200);

        string? Mismatch(Action[] x, Action[] y)
        {
            for (var k = 0; k < Math.Max(x.Length, y.Length); k++)
            {
                var (l, r) = (k < x.Length ? x[k] : null, k < y.Length ? y[k] : null);
                if (!Equals(l, r))
                    return $"action {k}: {Text(l)} vs {Text(r)} ({x.Length} vs {y.Length} enabled)";
            }
            return null;
        }

        string Text(Action? a) => a is null ? "(none)" : ActionText.Describe(a, cfg.Catalogue);
    }
}
