using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;
using Action = Verify.Model.Action;

namespace Verify.Tests.Properties;

/// <summary>
/// refcounts-exact, the model's own sanity: on every sequence of the semantics document (§3: D1-D4, S1, S1', S2, S3;
/// §5: the O-table's experiments), every version that can run it, each followed by finalization, every step's heap has
/// exactly the reference counts its references give. The document never describes a count that is off, so the finding
/// side is shown on a state corrupted by hand.
/// </summary>
public class RefcountsExactTests
{
    private static readonly Property P = IsolationProperties.RefcountsExact;
    private static readonly string[] All = [V310, V311, V312, V313];
    private static readonly string[] From312 = [V312, V313];
    private const InterpKind Iso = InterpKind.Isolated;
    private const InterpKind Ovr = InterpKind.IsolatedOverride;

    /// <summary>Document sequences by id, with the versions that can run them.</summary>
    private static readonly (string Id, string[] Versions, Action[] Steps)[] Sequences =
    [
        ("D1", All, [New(1), New(2), End(1), End(2)]),
        ("D2", All, [Imp(0, X), New(1), Imp(1, Alias)]),
        ("D2-isolated-override", From312, [Imp(0, X), New(1, Ovr), Imp(1, Alias)]),
        ("D3", All, [New(1), New(2), Imp(1, X), Imp(2, Alias), End(1)]),
        ("D4", From312, [Imp(0, X), New(1), Clear(1, X)]),
        ("S1", All, [New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), End(1), Del(0, X), Imp(0, X)]),
        ("S1'", All, [New(1), Imp(1, X), Del(1, X), Imp(1, X), End(1), Imp(0, X)]),
        ("S2", From312, [New(1, Ovr), Imp(1, X), Imp(0, X), End(1)]),
        ("S3", All, [New(1), New(2), Imp(1, X), Imp(0, X), Imp(2, X), Imp(2, Alias), End(1)]),
        ("O5-O6", All, [Imp(0, X), New(1), Imp(1, X), Imp(1, Alias), Del(0, X), Imp(0, X)]),
        ("O10-O24-exp5-clear", From312, [Imp(0, X), New(1), Imp(1, X), Clear(1, X), Del(1, X), Imp(1, X), Del(0, X), Imp(0, X), End(1)]),
        ("O14-O15-reinit-subfirst", All, [New(1), Imp(1, Reinit), Del(1, Reinit), Imp(1, Reinit), Imp(0, Reinit), Imp(1, WithState)]),
        ("O16-multi", All, [New(1), Imp(1, Multi), Imp(0, Multi), Del(1, Multi), Imp(1, Multi)]),
        ("O17-isolated-miss", From312, [New(1, Iso), Imp(1, X), Imp(0, X), Imp(1, Copy)]),
        ("O19-isolated-builtin", From312, [New(1, Iso), Imp(1, Builtin), Imp(0, Builtin), End(1)]),
        ("O21-O22-reload", All, [Imp(0, X), SetObj(0, X), Rel(0, X), RelSpec(0, X)]),
        ("O23-optout", All, [Imp(0, OptOut), Del(0, OptOut), Imp(0, OptOut), New(1), Imp(1, OptOut)]),
        ("T5b-basic-copy", All, [Imp(0, X), New(1), Imp(1, Copy), Imp(0, Copy)]),
        ("exp7-builtin", All, [New(1), Imp(1, Builtin), Imp(0, Builtin), End(1)]),
    ];

    public static TheoryData<string, string> Runs()
    {
        var data = new TheoryData<string, string>();
        foreach (var (id, versions, _) in Sequences)
            foreach (var v in versions) data.Add(id, v);
        return data;
    }

    [Theory]
    [MemberData(nameof(Runs))]
    public void HoldsAtEveryStepOfTheDocumentsSequences(string id, string v)
    {
        var steps = Sequences.Single(x => x.Id == id).Steps.Append(new Finalization());
        var verdicts = VerdictsUntilCrash(P, Config(v), steps);
        Assert.True(verdicts.Count >= 2, "the trace ran no step");
        for (var k = 0; k < verdicts.Count; k++)
            Assert.True(verdicts[k] is null, $"{id} on {v}: {verdicts[k]}");
    }

    // The finding side: one object's count bumped by one (a leaked reference) or dropped by one (a missing one).
    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void FindsACountThatDiffersFromTheReferencesHeld(int delta)
    {
        var cfg = Config(V311);
        var s = cfg.Run([Imp(0, X)])[^1].State;
        Assert.Null(P.Check(Step.Initial(s, Cat)));
        var k = Enumerable.Range(0, s.Heap.Count).First(i => s.Heap[i].Kind == ObjKind.List);
        var o = s.Heap[k];
        var bad = new State(s.Phase, s.Interps, s.Defs, s.Cache, s.Globals, s.IndexCounter,
            s.Heap.SetItem(k, o with { RefCount = (short)(o.RefCount + delta) }));
        var f = P.Check(Step.Initial(bad, Cat));
        Assert.NotNull(f);
        Assert.Contains($"#{k}", f.Message);
        Assert.Equal(-1, f.EventIndex);
    }
}
