using FsCheck.Fluent;
using Verify.Model;
using Verify.Tests.FsCheckSupport;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// <see cref="Semantics.IsEnabled"/> is the string-free precondition the explorers and <see cref="Semantics.Apply"/>
/// use; <see cref="Semantics.WhyDisabled"/> is what users read. They must agree on every action of every state:
/// the whole alphabet, plus actions no configuration offers (slots and modules out of range, main as a mode or
/// as an interpreter to end, core modules), in running, crashed and finalized states. A refusal's text is built
/// once and reused, so asking again must give the same text.
/// </summary>
public sealed class IsEnabledAgreesWithWhyDisabledProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void IsEnabled_holds_exactly_where_WhyDisabled_is_null(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        var sem = cfg.Semantics;
        var cat = cfg.Catalogue;
        var actions = Actions(cfg.Slots, cat);
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            for (var k = 0; k < states.Count; k++)
            {
                var s = states[k];
                foreach (var a in actions)
                {
                    var why = sem.WhyDisabled(s, a, cat);
                    if (sem.IsEnabled(s, a, cat) != why is null)
                        throw t.Violation(k, $"{a}: IsEnabled says {sem.IsEnabled(s, a, cat)}, WhyDisabled says {why ?? "(null)"}");
                    if (sem.WhyDisabled(s, a, cat) != why)
                        throw t.Violation(k, $"{a}: asked twice, WhyDisabled says '{why}' then '{sem.WhyDisabled(s, a, cat)}'");
                }
                var enabled = sem.EnabledActions(s, cat).ToList();
                var expected = Semantics.AllActions(cfg.Slots, cat).Where(a => sem.WhyDisabled(s, a, cat) is null).ToList();
                if (!enabled.SequenceEqual(expected))
                    throw t.Violation(k, $"EnabledActions gives {enabled.Count} actions, the alphabet filtered by WhyDisabled {expected.Count}");
            }
        }), runs: 100);
    }

    [Fact]
    public void Refusal_texts_name_the_action_and_the_configuration()
    {
        var cat = DefaultCatalogue.Create();
        var x = cat.ModuleIndex(DefaultCatalogue.TestSinglePhase);
        var sys = cat.ModuleIndex("sys");
        foreach (var slots in new[] { 1, 3 })
        {
            var cfg = new Configuration(SemanticsRegistry.Find("cpython-3.11")!, cat, slots);
            var s = cfg.Initial();
            var sem = cfg.Semantics;
            Assert.Equal($"interpreter {slots + 1} is not a subinterpreter slot: this configuration has slots 1..{slots} (0 is main)",
                sem.WhyDisabled(s, new NewInterp(slots + 1, InterpKind.Legacy), cat));
            Assert.Equal($"interpreter {slots + 1} does not exist: this configuration has 0 (main) and slots 1..{slots}",
                sem.WhyDisabled(s, new Import(slots + 1, x), cat));
            Assert.Equal("interpreter 1 is not alive: create it with new_interp first", sem.WhyDisabled(s, new DelSysModules(1, x), cat));
            Assert.Equal("'_testsinglephase' is not in sys.modules of interpreter 0: import it first", sem.WhyDisabled(s, new Reload(0, x), cat));
            Assert.Equal("cpython-3.11 has no _testinternalcapi.clear_extension (new in 3.12)", sem.WhyDisabled(s, new ClearExtension(0, x), cat));
            Assert.Equal("'sys' is a core module that every interpreter creates itself; the model does not import, delete or clear it",
                sem.WhyDisabled(s, new Import(0, sys), cat));
            Assert.Equal($"module index {cat.Modules.Count} is not in the catalogue", sem.WhyDisabled(s, new Import(0, cat.Modules.Count), cat));
            Assert.Equal("cpython-3.11 has no isolated interpreters (no per-interpreter obmalloc or isolation check): use mode legacy",
                sem.WhyDisabled(s, new NewInterp(1, InterpKind.Isolated), cat));
            Assert.Equal("interpreter 0 is main: main ends only with finalize", sem.WhyDisabled(s, new EndInterp(0), cat));
            Assert.Null(sem.WhyDisabled(s, new Import(0, x), cat));
            var after = cfg.Step(s, new Finalization()).State;
            Assert.Equal("the process is finalized: no step can follow finalize", sem.WhyDisabled(after, new Import(0, x), cat));
        }
    }

    /// <summary>The alphabet of every slot, plus actions outside any configuration's alphabet.</summary>
    private static List<Action> Actions(int slots, Catalogue cat)
    {
        var all = Semantics.AllActions(slots, cat).ToList();
        var modules = cat.Modules.Count;
        for (var i = -1; i <= slots + 1; i++)
        {
            all.Add(new NewInterp(i, InterpKind.Legacy));
            all.Add(new NewInterp(i, InterpKind.Main));
            all.Add(new EndInterp(i));
            foreach (var m in new[] { -1, 0, modules - 1, modules })
            {
                all.Add(new Import(i, m));
                all.Add(new DelSysModules(i, m));
                all.Add(new SetAttr(i, m));
                all.Add(new ClearExtension(i, m));
            }
        }
        return all;
    }
}
