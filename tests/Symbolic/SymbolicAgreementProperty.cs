using FsCheck.Fluent;
using Verify.Checker.Symbolic;
using Verify.Model;
using Verify.Properties;
using Verify.Tests.FsCheckSupport;
using Verify.Tests.ModelProperties;
using Xunit;

namespace Verify.Tests.Symbolic;

/// <summary>
/// No drift (issue 7, requirement 4): the symbolic transition function, run in its concrete instance, agrees with the
/// explicit model on every action of random reachable states: the same enabled actions, the same successor (decoded
/// and numbered canonically, compared whole: heap, refcounts, owners, tables) and the same verdict of every property.
/// The Z3 instance is the same code over other terms (<see cref="SymbolicZ3AgreementTests"/> checks it on a few states).
/// </summary>
public sealed class SymbolicAgreementProperty
{
    public static TheoryData<string> Encoded =>
        ["cpython-3.11", "cpython-3.12", "cpython-3.13", "fix-per-interp-def", "fix-per-interp-m-copy", "fix-opt-out", "fix-immortal-m-copy"];

    /// <summary>The default spec's modules and ops, two slots of any mode (every interpreter kind meets every other).</summary>
    public static Configuration Config(string semantics, IReadOnlyList<SlotKind>? slots = null) => new(
        SemanticsRegistry.Find(semantics)!,
        DefaultCatalogue.Create().Restrict(["_testsinglephase", "_testsinglephase_basic_wrapper"]),
        slots ?? [SlotKind.Any, SlotKind.Any],
        new HashSet<string>(["new_interp", "end_interp", "import", "del_sys_modules", "reload", "clear_extension", "finalize"]));

    [Theory]
    [MemberData(nameof(Encoded))]
    public void The_concrete_instance_agrees_with_the_explicit_model_on_every_action_of_random_states(string semantics)
    {
        var cfg = Config(semantics);
        Assert.Null(SymSupport.Refusal(cfg, IsolationProperties.All));
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            var initial = SymSupport.InitialFindings(cfg, states[0], IsolationProperties.All);
            var expectedInitial = Judged(IsolationProperties.All.Where(p => p.Check(Step.Initial(states[0], cfg.Catalogue)) is not null));
            if (!initial.SetEquals(expectedInitial))
                throw t.Violation(0, $"initial findings: symbolic {string.Join(",", initial)}, explicit {string.Join(",", expectedInitial)}");
            for (var k = 0; k < states.Count; k++) Agree(cfg, t, k, states[k]);
        }), runs: 60);
    }

    [Theory]
    [MemberData(nameof(Encoded))]
    public void The_concrete_instance_agrees_on_the_default_specs_slots(string semantics)
    {
        var cfg = Config(semantics, [SlotKind.Of(InterpKind.Legacy), SlotKind.Of(InterpKind.Isolated, InterpKind.IsolatedOverride)]);
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            for (var k = 0; k < states.Count; k++) Agree(cfg, t, k, states[k]);
        }), runs: 30);
    }

    private static HashSet<string> Judged(IEnumerable<Property> found) => found.Select(p => p.Name).ToHashSet();

    private static void Agree(Configuration cfg, Trace t, int k, State s)
    {
        foreach (var a in cfg.Alphabet)
        {
            var enabled = cfg.IsEnabled(s, a);
            var (symEnabled, after, findings) = SymSupport.Step(cfg, s, a, IsolationProperties.All);
            if (symEnabled != enabled)
                throw t.Violation(k, $"{ActionText.Describe(a, cfg.Catalogue)}: enabled explicitly {enabled}, symbolically {symEnabled}");
            if (!enabled) continue;
            var step = cfg.Step(s, a);
            if (!step.State.Equals(after))
                throw t.Violation(k, $"{ActionText.Describe(a, cfg.Catalogue)}: the successors differ\n  explicit: {Show(step.State)}\n  symbolic: {Show(after!)}");
            var expected = Judged(IsolationProperties.All.Where(p => p.Check(Step.Of(s, step, cfg.Catalogue)) is not null));
            if (!findings.SetEquals(expected))
                throw t.Violation(k, $"{ActionText.Describe(a, cfg.Catalogue)}: findings differ: explicit [{string.Join(", ", expected.Order())}], symbolic [{string.Join(", ", findings.Order())}]");
        }
    }

    private static string Show(State s) =>
        $"phase {s.Phase}, counter {s.IndexCounter}, defs [{string.Join("; ", s.Defs)}], cache [{string.Join("; ", s.Cache)}], " +
        $"interps [{string.Join("; ", s.Interps.Select(i => $"{i.Status} {i.Kind} born {i.Born} sys {string.Join(",", i.SysModules)} mbi {string.Join(",", i.ModulesByIndex)} copies {i.SysDictCopy},{i.BuiltinsCopy}"))}], " +
        $"heap [{string.Join("; ", s.Heap.Select((o, n) => $"#{n} {o}"))}]";
}
