using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Verify.Tests.FsCheckSupport;

/// <summary>The helper must fail the test with FsCheck's whole report, and pass quietly otherwise.</summary>
public sealed class PropertyCheckTests
{
    private static readonly Arbitrary<int[]> Arrays = ArbMap.Default.ArbFor<int[]>();

    [Fact]
    public void A_false_property_fails_with_the_shrunk_counterexample_and_the_seed()
    {
        var e = Assert.ThrowsAny<Exception>(() =>
            PropertyCheck.Run(Prop.ForAll(Arrays, (int[] xs) => xs.Length < 3), runs: 100));
        Assert.Contains("Falsifiable, after", e.Message);
        Assert.Contains("Shrunk:", e.Message);
        Assert.Contains("[|0; 0; 0|]", e.Message); // FsCheck shrank to the smallest array that is too long
        Assert.Contains("FsCheck seed ", e.Message);
        Assert.Contains("VERIFY_SEED=", e.Message);
    }

    [Fact]
    public void An_exception_in_the_property_is_reported_with_its_message()
    {
        var e = Assert.ThrowsAny<Exception>(() =>
            PropertyCheck.Run(Prop.ForAll(Arrays, (int[] xs) => { if (xs.Length > 1) throw new InvalidOperationException("too long"); }), runs: 100));
        Assert.Contains("too long", e.Message);
        Assert.Contains("Falsifiable", e.Message);
    }

    [Fact]
    public void A_true_property_passes() =>
        PropertyCheck.Run(Prop.ForAll(Arrays, (int[] xs) => xs.Length >= 0), runs: 50);

    [Fact]
    public void An_expected_failure_passes_with_the_report_and_fails_when_nothing_is_found()
    {
        var report = PropertyCheck.ExpectFalsified(Prop.ForAll(Arrays, (int[] xs) => xs.Length < 3), runs: 100, "arrays of 3 exist");
        Assert.Contains("Falsifiable", report);
        var e = Assert.ThrowsAny<Exception>(() =>
            PropertyCheck.ExpectFalsified(Prop.ForAll(Arrays, (int[] xs) => xs.Length >= 0), runs: 50, "nothing to find"));
        Assert.Contains("expected a counterexample (nothing to find)", e.Message);
        Assert.Contains("Ok, passed 50 tests", e.Message);
    }
}
