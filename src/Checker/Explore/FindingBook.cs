using Verify.Model;
using Verify.Properties;

namespace Verify.Checker.Explore;

/// <summary>
/// Per property, the first finding of a breadth-first search: the shallowest, and among equally shallow ones
/// the one with the smallest key (the position of the state in its level and the action's place in the
/// alphabet), so that the reported trace does not depend on how many workers ran or how they interleaved.
/// </summary>
internal sealed class FindingBook(IReadOnlyList<Property> properties)
{
    /// <summary>Where a finding was made: a path of the search, to be turned into a concrete trace.</summary>
    public sealed record Hit(int Length, long Key, Func<Counterexample> Build);

    private readonly Hit?[] hits = new Hit?[properties.Count];
    private readonly object gate = new();

    public IReadOnlyList<Property> Properties => properties;

    public bool Has(int property) => Volatile.Read(ref hits[property]) is not null;

    /// <summary>Whether a finding shorter than <paramref name="length"/> is known (so one of that length cannot win).</summary>
    public bool HasShorterThan(int property, int length) => Volatile.Read(ref hits[property]) is { } h && h.Length < length;

    /// <summary>Records a finding unless an earlier (shorter, or as short with a smaller key) one is known.</summary>
    public void Offer(int property, int length, long key, Func<Counterexample> build)
    {
        lock (gate)
        {
            var h = hits[property];
            if (h is null || length < h.Length || (length == h.Length && key < h.Key))
                hits[property] = new Hit(length, key, build);
        }
    }

    public bool AnyAlwaysViolated()
    {
        for (var p = 0; p < properties.Count; p++)
            if (properties[p].Kind == PropertyKind.Always && Has(p)) return true;
        return false;
    }

    /// <summary>The verdicts, with each trace built (and replayed on the concrete model) now.</summary>
    public IReadOnlyList<PropertyVerdict> Verdicts(bool complete, bool depthBounded) =>
        properties.Select((p, k) =>
        {
            var h = hits[k];
            var trace = h?.Build();
            return p.Kind == PropertyKind.Always
                ? new PropertyVerdict(p, h is not null ? Verdict.Violated : !complete ? Verdict.Incomplete : depthBounded ? Verdict.HoldsWithinDepth : Verdict.Holds, trace)
                : new PropertyVerdict(p, h is not null ? Verdict.Witnessed : complete ? Verdict.NeverWitnessed : Verdict.Incomplete, trace);
        }).ToList();
}

/// <summary>Judging steps with properties, and turning a path into a concrete, checked counterexample.</summary>
internal static class Judge
{
    /// <summary>Replays <paramref name="steps"/> from the initial state and returns the finding of <paramref name="property"/> on the last step.</summary>
    public static Counterexample Replay(Configuration config, Property property, IReadOnlyList<Model.Action> steps)
    {
        var s = config.Initial();
        var step = Step.Initial(s, config.Catalogue);
        var transitions = new List<Transition>();
        foreach (var a in steps)
        {
            if (config.WhyDisabled(s, a) is { } why)
                throw new ModelInvariantException($"the search's trace for {property.Name} does not replay: step {transitions.Count + 1} ({a}) is disabled: {why}");
            var t = config.Step(s, a);
            transitions.Add(t);
            step = Step.Of(s, t, config.Catalogue);
            s = t.State;
        }
        var finding = property.Check(step) ?? throw new ModelInvariantException(
            $"the search found {property.Name} at the end of [{string.Join(", ", steps)}], but the concrete replay does not show it");
        return new Counterexample(steps, transitions, finding);
    }
}
