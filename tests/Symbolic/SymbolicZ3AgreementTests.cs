using Verify.Checker.Symbolic;
using Verify.Checker.Symbolic.Z3;
using Verify.Model;
using Verify.Properties;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.Symbolic;

/// <summary>
/// The Z3 instance of the transition function against the concrete one, on a few states: the state is given to Z3 as
/// unknowns (nothing folds away; the tables' terms have two possible values each, so that reads and writes go
/// through the <c>ite</c> chains) constrained to the state's values; Z3's model of the successor, decoded, must be the concrete
/// instance's successor, and Z3's value of every property's finding the concrete one.
/// </summary>
public sealed class SymbolicZ3AgreementTests
{
    public static TheoryData<string> Encoded => SymbolicAgreementProperty.Encoded;

    [Theory]
    [MemberData(nameof(Encoded))]
    public void Z3s_successor_equals_the_concrete_instances_on_a_few_states(string semantics)
    {
        Assert.SkipUnless(Z3Library.Available, Z3Library.Missing);
        var cfg = SymbolicAgreementProperty.Config(semantics, [SlotKind.Of(InterpKind.Legacy), SlotKind.Of(InterpKind.Isolated, InterpKind.IsolatedOverride)]);
        var tsp = cfg.Catalogue.ModuleIndex("_testsinglephase");
        var alias = cfg.Catalogue.ModuleIndex("_testsinglephase_basic_wrapper");
        Action[][] prefixes =
        [
            [],
            [new NewInterp(1, InterpKind.Legacy), new Import(1, tsp)],
            [new Import(Interp.Main, tsp), new NewInterp(1, InterpKind.Legacy), new Import(1, alias), new DelSysModules(Interp.Main, tsp)],
        ];
        var compared = 0;
        var strategyState = false;
        foreach (var prefix in prefixes)
        {
            var s = cfg.Initial();
            foreach (var a in prefix) s = cfg.Step(s, a).State;
            Assert.True(s.IsRunning, $"{semantics}: the prefix should leave the process running");
            strategyState |= s.Heap.Any(o => o.Immortal) || s.Globals.Any(g => g.Loaded) ||
                             s.Interps.Any(i => i.OwnMCopy.Count > 0 || i.OwnKeys.Count > 0);
            foreach (var a in cfg.Actions(s))
            {
                var (_, expected, findings) = SymSupport.Step(cfg, s, a, IsolationProperties.All);
                var (after, z3Findings) = Z3Step(cfg, s, a);
                Assert.True(expected!.Equals(after), $"{semantics}, after [{string.Join("; ", prefix.Select(p => ActionText.Describe(p, cfg.Catalogue)))}], {ActionText.Describe(a, cfg.Catalogue)}: Z3's successor differs from the concrete instance's");
                Assert.Equal(findings.Order(), z3Findings.Order());
                compared++;
            }
        }
        Assert.True(compared >= 10, $"only {compared} steps compared");
        // Not vacuous for a strategy: some state compared holds what only the strategies have (an own m_copy or key, an
        // immortal object, the opt-out's loaded flag), so the new parts of the encoding go through Z3 too.
        if (cfg.Semantics.IsFixStrategy) Assert.True(strategyState, $"{semantics}: no prefix reaches a strategy's own state");
    }

    /// <summary>One step in the Z3 instance from <paramref name="s"/> given as constrained unknowns; the model's successor, decoded.</summary>
    private static (State After, IReadOnlyList<string> Findings) Z3Step(Configuration cfg, State s, Action a)
    {
        using var z3 = new Z3Context();
        var alg = new Z3Algebra(z3);
        var solver = z3.Solver();
        var capacity = s.Heap.Count + 24;
        var indices = s.IndexCounter + 3;
        var known = SymState<Z>.Load(alg, s, cfg.Catalogue, capacity, indices);
        var state = known.Clone();
        foreach (var ((name, terms, isBool), (_, values, _)) in state.Arrays().Zip(known.Arrays()))
            for (var k = 0; k < terms.Length; k++)
            {
                // The interpreters', defs' and cache's terms get two possible values (their own and NULL, or slot 0 for
                // NULL), so that reads and writes through them go through an ite; the heap's fields get their own value
                // only (still unknowns to Z3), which keeps a free's cascade from fanning out over every slot.
                var own = values[k].Values[0];
                var other = own == SymState<Z>.None ? 0 : SymState<Z>.None;
                int[] possible = name is "alive" or "okind" or "owner" or "domain" or "rc" or "odef" or "omodule" or "serial"
                    or "dict" or "self" or "obj" or "error" or "fn" or "leaked" or "immortal"
                    ? [own]
                    : [Math.Min(own, other), Math.Max(own, other)];
                var v = alg.Variable($"{name}_{k}", isBool, possible);
                solver.Assert(alg.TermOf(alg.Eq(v, values[k])));
                terms[k] = v;
            }
        var version = SymVersion.For(cfg.Semantics)!;
        var before = state.Clone();
        var m = new SymMachine<Z>(alg, cfg.Catalogue, version, state, new SequentialSlots(s.Heap.Count, capacity));
        solver.Assert(alg.TermOf(m.Enabled(a)));
        m.Step(a);
        var findings = IsolationProperties.All.Select(p => (p.Name, Term: alg.TermOf(SymProperties.Finding(p, m, before, a)))).ToList();
        Assert.Equal(SolveResult.Sat, solver.Check());
        var model = solver.Model();
        var concrete = new SymState<int>(state.Interps, state.Modules, state.Defs, state.Groups, capacity, indices);
        foreach (var ((_, terms, isBool), (_, into, _)) in m.S.Arrays().Zip(concrete.Arrays()))
            for (var k = 0; k < terms.Length; k++)
                into[k] = isBool ? (model.Bool(alg.TermOf(terms[k])) ? 1 : 0) : (int)model.UInt(alg.TermOf(terms[k]));
        return (SymDecode.ToState(concrete, cfg.Catalogue), findings.Where(f => model.Bool(f.Term)).Select(f => f.Name).ToList());
    }
}
