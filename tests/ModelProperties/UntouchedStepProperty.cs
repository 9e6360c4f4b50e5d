using FsCheck.Fluent;
using Verify.Model;
using Verify.Tests.FsCheckSupport;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// <see cref="Semantics.Successor"/>, which the explorer uses, against <see cref="Semantics.Apply"/>: the same next
/// state and the same events for every enabled action of every state on random traces. Successor skips the collectors
/// and the state building when an action changed nothing (it returns the state it was given); this is where that
/// shortcut would be caught returning a state the full transition does not reach, or hiding events.
/// </summary>
public sealed class UntouchedStepProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void Successor_is_Apply_and_returns_the_state_only_for_an_eventless_self_loop(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        var cat = cfg.Catalogue;
        var events = new List<Event>();
        var shortcuts = 0;
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            for (var k = 0; k < states.Count; k++)
            {
                var s = states[k];
                foreach (var a in cfg.Actions(s)) // the enabled ones
                {
                    Transition full;
                    try { full = cfg.Step(s, a); }
                    catch (ModelInvariantException) { continue; } // a step the model refuses to take is no step to compare
                    var after = cfg.Semantics.Successor(s, a, cat, events);
                    if (!after.Equals(full.State))
                        throw t.Violation(k, $"after {ActionText.Describe(a, cat)}: Successor reaches another state than Apply");
                    if (!events.SequenceEqual(full.Events))
                        throw t.Violation(k, $"after {ActionText.Describe(a, cat)}: Successor records [{string.Join(", ", events)}], Apply [{string.Join(", ", full.Events)}]");
                    // Without ref-count events (a search whose transition properties are settled), nothing but the
                    // machine's own record of its writes tells an untouched step from one that only increfs and decrefs.
                    var quiet = cfg.Semantics.Successor(s, a, cat, events, refCountEvents: false);
                    if (!quiet.Equals(full.State))
                        throw t.Violation(k, $"after {ActionText.Describe(a, cat)}: Successor without ref-count events reaches another state than Apply");
                    foreach (var shortcut in new[] { after, quiet })
                    {
                        if (!ReferenceEquals(shortcut, s)) continue;
                        shortcuts++;
                        if (full.Events.Count != 0 || !full.State.Equals(s))
                            throw t.Violation(k, $"after {ActionText.Describe(a, cat)}: Successor took the shortcut on a step that changes something");
                    }
                }
            }
        }), runs: 40);
        // Every semantics has untouched steps on these traces (an import of a module already in sys.modules at least),
        // so a shortcut that never fires would leave this test comparing nothing of it.
        Assert.True(shortcuts > 0, "no step took the shortcut");
    }

    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void Importing_a_module_already_in_sys_modules_changes_nothing(string semantics)
    {
        // "A plain `import name` with `name` already in `sys.modules` never reaches the C machinery" (the semantics
        // document, section 2, the importlib side). So the step leads back to its state, with nothing to record.
        var cfg = ModelConfigs.For(semantics);
        var cat = cfg.Catalogue;
        var import = new Import(Interp.Main, 0);
        var s = cfg.Step(cfg.Initial(), import).State;
        Assert.False(s.Interps[Interp.Main].SysModule(0).IsNone);
        var events = new List<Event>();
        var again = cfg.Semantics.Successor(s, import, cat, events);
        Assert.Same(s, again);
        Assert.Empty(events);
    }
}
