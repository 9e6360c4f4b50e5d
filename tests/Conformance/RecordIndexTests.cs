using Verify.Model;
using Xunit;
using Verify.Tests.Scenarios;
using static Verify.Tests.Scenarios.S;

namespace Verify.Tests.Conformance;

/// <summary>
/// 3.13's cache hit sets modules-by-index at the cache record's m_index (reload_singlephase_extension reads
/// _get_cached_module_index), not the def's. Expected values are CPython's, recorded in
/// specs/conformance/t10-stale-record-index.cpython-3.13.0.probe.observed.json (and 3.12.1's for the contrast): after
/// clear_extension gave the def a new index, sub1's alias import (a hit on the alias's old record) leaves
/// look_up_self() finding sub1's _testsinglephase on 3.13.0, and finding the alias on 3.12.1 (which keeps m_index).
/// </summary>
public class RecordIndexTests
{
    [Theory]
    [InlineData(V313, true, false)]
    [InlineData(V312, false, true)]
    public void A_hit_on_an_older_record_writes_its_own_modules_by_index_slot(string v, bool originalFindsItself, bool aliasFindsItself)
    {
        var t = Run(v, Imp(0, Alias), Imp(0, X), New(1), Clear(1, X), Imp(1, X), Imp(1, Alias));
        t.AssertAllOk();
        var o = t.ObserveFinal();
        Assert.Equal(originalFindsItself, St.Mod(o, 1, X).LookUpSelfIsModule);
        Assert.Equal(aliasFindsItself, St.Mod(o, 1, Alias).LookUpSelfIsModule);
    }
}
