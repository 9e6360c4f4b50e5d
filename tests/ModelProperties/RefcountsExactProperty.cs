using FsCheck.Fluent;
using Verify.Model;
using Verify.Tests.FsCheckSupport;
using Xunit;

namespace Verify.Tests.ModelProperties;

/// <summary>
/// (a) refcounts-exact: in every state along a valid trace, each heap object's reference count equals the
/// references held to it (from the roots and from other objects), no reference dangles, and no object
/// stays in the heap with a count of zero or less. Hazards are read off counts reaching zero, so a
/// drifting count would move or hide a predicted crash.
/// </summary>
public sealed class RefcountsExactProperty
{
    [Theory]
    [MemberData(nameof(ModelConfigs.SemanticsNames), MemberType = typeof(ModelConfigs))]
    public void Reference_counts_equal_the_references_held_in_every_state(string semantics)
    {
        var cfg = ModelConfigs.For(semantics);
        PropertyCheck.Run(Prop.ForAll(TraceGen.Arbitrary(cfg), (Trace t) =>
        {
            var states = t.States();
            for (var k = 0; k < states.Count; k++)
            {
                var problems = HeapAudit.Check(states[k]);
                if (problems.Count > 0)
                    throw t.Violation(k, "the heap audit found:\n    " + string.Join("\n    ", problems));
            }
        }), runs: 300);
    }
}
