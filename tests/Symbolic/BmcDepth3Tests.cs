using Verify.Checker.Explore;
using Verify.Checker.Specs;
using Verify.Checker.Symbolic.Z3;
using Verify.Model;
using Verify.Properties;
using Xunit;

namespace Verify.Tests.Symbolic;

/// <summary>
/// BMC against the exhaustive search at depth 3 (<see cref="BmcTests"/> has depth 2 for every semantics). A class of its
/// own so that xunit runs it beside <see cref="BmcTests"/>: each is single-threaded and several minutes long.
/// </summary>
public sealed class BmcDepth3Tests
{
    /// <summary>
    /// Depth 3 for the two releases with isolated interpreters, every property: about four minutes each here. Depth 3 is
    /// the length they are best known for: the 3-step cross-interpreter decref. By hand, from the semantics document's
    /// D4: main imports X (its <c>m_copy</c> is main's), a subinterpreter exists, and <c>clear_extension</c> there drops
    /// <c>def.m_copy</c> while the subinterpreter is current; 3.13 still drops it there ("that reference is only the
    /// second one", so nothing is freed, but the decref is foreign). BMC may find another trace of that length (3.13:
    /// the isolated subinterpreter's refused import leaves main's record). Nothing shorter: a decref by a
    /// subinterpreter needs one step to create it, and in two steps it can reach nothing of main's (3.12 and 3.13 keep
    /// no <c>m_copy</c> of the core modules, and its own first import runs the init in it or, in 3.13, copies under
    /// main without dropping anything).
    /// </summary>
    [Theory]
    [InlineData("cpython-3.12")]
    [InlineData("cpython-3.13")]
    public void Bmc_and_the_exhaustive_search_agree_at_depth_3_for_the_releases(string semantics)
    {
        Assert.SkipUnless(Z3Library.Available, Z3Library.Missing);
        var bmc = BmcTests.BmcAgreesWithTheExplicitSearch(SpecFile.BuiltInCheckDefault().ConfigurationFor(SemanticsRegistry.Find(semantics)!), 3);
        var decref = bmc.Verdicts.Single(v => v.Property == IsolationProperties.NoCrossInterpreterDecref);
        Assert.Equal(Verdict.Violated, decref.Verdict);
        Assert.Equal(3, decref.Trace!.Length);
        // The trace BMC found, replayed on the explicit model: a subinterpreter decrefs something of main's.
        Assert.StartsWith("sub", decref.Trace.Finding.Message);
        Assert.EndsWith("owned by main", decref.Trace.Finding.Message);
    }
}
