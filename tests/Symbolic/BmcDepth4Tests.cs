using Verify.Checker.Explore;
using Verify.Checker.Specs;
using Verify.Checker.Symbolic.Z3;
using Verify.Model;
using Verify.Properties;
using Xunit;

namespace Verify.Tests.Symbolic;

/// <summary>
/// BMC against the exhaustive search at depth 4, for the one 4-step finding it reaches in CI's time: a class of its own
/// so that xunit runs it beside the other BMC classes (each single-threaded, several minutes long).
/// </summary>
public sealed class BmcDepth4Tests
{
    /// <summary>
    /// <c>no-dead-owner</c> under 3.12 at depth 4, the semantics document's S2 (and S1): an isolated subinterpreter
    /// with the override imports X first, so the init runs there and its objects are its own; main imports X, and
    /// the shallow copy of <c>m_copy</c> puts those objects into main's module dict; the subinterpreter ends, and
    /// main still reaches them (3.12.1 then crashes at exit). By hand, nothing shorter: the owner must be created
    /// (1), must allocate something, which only an import whose init runs in it does (2), and must end (1); and what
    /// it allocated must still be reachable from someone else, which in 3.12 only another interpreter's import of the
    /// same def does (1): its <c>m_copy</c> is dropped when it ends (T11: the module its init made is still in its
    /// modules-by-index; keeping it past the end takes a re-import in it first, S1', one step more). About five
    /// minutes in a Release build.
    /// </summary>
    [Fact]
    public void Bmc_finds_the_4_step_dead_owner_of_3_12_as_the_exhaustive_search_does()
    {
        Assert.SkipUnless(Z3Library.Available, Z3Library.Missing);
        var config = SpecFile.BuiltInCheckDefault().ConfigurationFor(SemanticsRegistry.Find("cpython-3.12")!);
        var bmc = BmcTests.BmcAgreesWithTheExplicitSearch(config, 4, [IsolationProperties.NoDeadOwner]);
        var deadOwner = Assert.Single(bmc.Verdicts);
        Assert.Equal(Verdict.Violated, deadOwner.Verdict);
        Assert.Equal(4, deadOwner.Trace!.Length);
        // The trace, replayed on the explicit model: a subinterpreter's object outlives it.
        Assert.Matches(@"owned by (sub[12]) is reachable after \1 ended$", deadOwner.Trace.Finding.Message);
    }
}
