using Verify.Checker.Explore;
using Verify.Checker.Random;
using Verify.Model;
using Verify.Properties;
using Xunit;
using Action = Verify.Model.Action;

namespace Verify.Tests.Random;

/// <summary>Actions by name and strict replays, for the random-exploration tests.</summary>
internal static class R
{
    public static int M(Configuration c, string module) => c.Catalogue.ModuleIndex(module);

    public static Property P(string name) => IsolationProperties.Find(name) ?? throw new ArgumentException(name);

    /// <summary>Replays with every precondition checked: the trace must be valid exactly as written.</summary>
    public static IReadOnlyList<Transition> StrictReplay(Configuration c, IReadOnlyList<Action> steps)
    {
        var s = c.Initial();
        var ts = new List<Transition>();
        for (var k = 0; k < steps.Count; k++)
        {
            var why = c.WhyDisabled(s, steps[k]);
            Assert.True(why is null, $"step {k + 1} ({steps[k]}) is not enabled: {why}");
            var t = c.Step(s, steps[k]);
            ts.Add(t);
            s = t.State;
        }
        return ts;
    }

    /// <summary>Whether the property shows its finding at some step of the trace (replayed leniently).</summary>
    public static bool Shows(Configuration c, Property p, IEnumerable<Action> steps) => TraceJudge.FirstFinding(c, p, steps) is not null;

    public static string Text(Configuration c, IEnumerable<Action> steps) =>
        string.Join("; ", steps.Select(a => ActionText.Describe(a, c.Catalogue)));

    /// <summary>The options of a random search of every property with a fixed seed.</summary>
    public static RandomOptions Options(ulong seed, int runs = 1000, int length = 40) =>
        new() { Properties = IsolationProperties.All, Seed = seed, Runs = runs, Length = length };

    public static Counterexample Shrink(Configuration c, Property p, IReadOnlyList<Action> steps) => new Shrinker(c, p).Shrink(steps).Trace;
}
