using Xunit;
using Verify.Model;
using Verify.Properties;
using static Verify.Tests.Properties.PropertyRunner;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Properties;

/// <summary>
/// look-up-self-consistent against the semantics document: "PyState_FindModule(def) reads MBI[current][def.m_index]"
/// (§1), the O10 row ("look_up_self() is mod"), T5 (a rename repoints MBI) and T10 (clear_extension).
/// </summary>
public class LookUpSelfConsistentTests
{
    private static readonly Property P = IsolationProperties.LookUpSelfConsistent;

    // O10: "True for the latest module per def per interpreter; after a rename, the original module's look_up_self()
    // returns the alias" (all versions). The alias is itself in sys.modules under a name of the def, so PyState_FindModule
    // still returns a module sys.modules holds: the rename alone is consistent. T2/T3 set MBI to each new copy module.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void O10_TheLatestModulePerInterpreterAndTheRenameAreConsistent(string v) =>
        AssertHolds(P, v, Imp(0, X), New(1), Imp(1, X), Imp(0, Alias), Del(1, X), Imp(1, X), Imp(1, Alias), RelSpec(0, X));

    // T5: "MBI[I][m_index] becomes the alias module"; del sys.modules only removes the name (the MBI reference stays:
    // S1' "The copy module replaces J's MBI slot" only at the re-import). After del sys.modules['alias'], main still holds X
    // under the def's other name, but PyState_FindModule returns the alias module, which sys.modules no longer holds.
    [Theory]
    [InlineData(V310)]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T5_DeletingTheAliasLeavesFindModuleOnAModuleSysModulesDropped(string v)
    {
        var hit = AssertFirstAt(P, 3, v, Imp(0, X), Imp(0, Alias), Del(0, Alias));
        Assert.Contains("in main", hit.Finding.Message);
        Assert.Contains("not the module in its sys.modules", hit.Finding.Message);
    }

    // The same in a subinterpreter, after a copy (T3), then a rename there (T5 in J).
    [Theory]
    [InlineData(V311)]
    [InlineData(V313)]
    public void T5_InASubinterpreter(string v) =>
        Assert.Contains("in sub1", AssertFirstAt(P, 5, v, Imp(0, X), New(1), Imp(1, X), Imp(1, Alias), Del(1, Alias)).Finding.Message);

    // T10 3.12: clear_extension sets "MBI[current][m_index] = None if the slot exists" and leaves sys.modules alone, so in A
    // PyState_FindModule returns NULL while A's sys.modules holds X; main's slot is untouched ("m_index is left alone").
    // T10 3.13: "def.m_index = 0" (and PyState_FindModule returns NULL for index 0): every interpreter holding X is affected,
    // main first. O10, 3.13.0: "after clear_extension, False for old modules (new m_index)".
    [Theory]
    [InlineData(V312, "sub1")]
    [InlineData(V313, "main")]
    public void T10_ClearExtensionLeavesFindModuleReturningNull(string v, string where)
    {
        var hit = AssertFirstAt(P, 4, v, Imp(0, X), New(1), Imp(1, X), Clear(1, X));
        Assert.Contains($"in {where} returns NULL", hit.Finding.Message);
    }

    // O10 continued (exp5-clear): A deletes and re-imports X. 3.12: the init runs in A and sets A's slot (O24: "index
    // unchanged"), main's slot never changed: consistent again. 3.13: O24 "index reset, then a new index"; main's MBI has
    // nothing at the new index while main still holds its old module: "False for old modules".
    [Theory]
    [InlineData(V312, false)]
    [InlineData(V313, true)]
    public void O10_AfterClearAndReimportOnlyMainsOldModuleIsLostIn313(string v, bool found)
    {
        var hit = Verdicts(P, v, Imp(0, X), New(1), Imp(1, X), Clear(1, X), Del(1, X), Imp(1, X))[6];
        if (!found)
        {
            Assert.Null(hit);
            return;
        }
        Assert.NotNull(hit);
        Assert.Contains("in main", hit.Finding.Message);
    }

    // T7: multi-phase modules are not found by PyState_FindModule ("returns NULL for defs that have slots"), and nothing
    // is expected of them; the opt-out likewise.
    [Theory]
    [InlineData(V311)]
    [InlineData(V313)]
    public void MultiPhaseModulesAreNotJudged(string v) => AssertHolds(P, v, Imp(0, Multi), Imp(0, OptOut), New(1), Imp(1, Multi));

    // T6: an m_size >= 0 module's every import sets MBI in the importer (m_init hit: "set SYS_MODULES and MBI").
    [Theory]
    [InlineData(V311)]
    [InlineData(V312)]
    [InlineData(V313)]
    public void T6_ReinitialisableModulesStayConsistent(string v) =>
        AssertHolds(P, v, Imp(0, Reinit), New(1), Imp(1, Reinit), Del(0, Reinit), Imp(0, Reinit), Imp(1, WithState));
}
