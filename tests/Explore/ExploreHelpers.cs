using Verify.Checker.Explore;
using Verify.Model;
using Verify.Properties;
using Xunit;

namespace Verify.Tests.Explore;

/// <summary>Small configurations over the built-in catalogue, and shortcuts to verdicts.</summary>
internal static class X
{
    public const string Single = DefaultCatalogue.TestSinglePhase;
    public const string Alias = DefaultCatalogue.BasicWrapper;

    /// <summary>The default spec's bounds: a legacy slot and an isolated one, _testsinglephase and its alias, no set_attr/reload_spec.</summary>
    public static Configuration DefaultSpec(string semantics) => Config(semantics,
        [SlotKind.Of(InterpKind.Legacy), SlotKind.Of(InterpKind.Isolated, InterpKind.IsolatedOverride)],
        [Single, Alias], ["new_interp", "end_interp", "import", "del_sys_modules", "clear_extension", "finalize"]);

    public static Configuration Config(string semantics, IReadOnlyList<SlotKind> slots, string[] modules, string[]? ops = null)
    {
        var sem = SemanticsRegistry.Find(semantics);
        Assert.NotNull(sem);
        return new Configuration(sem, DefaultCatalogue.Create().Restrict(modules), slots, ops?.ToHashSet());
    }

    public static ExploreResult Explore(Configuration c, int? depth, bool symmetry = true, StorageMode storage = StorageMode.Fingerprint, int workers = 2,
        int packLevelsAbove = 100_000, int keepEncodingsUpTo = 25_000) =>
        Explorer.Run(c, new ExploreOptions
        {
            Properties = IsolationProperties.All, MaxDepth = depth, Symmetry = symmetry, Storage = storage, Workers = workers,
            PackLevelsAbove = packLevelsAbove, KeepEncodingsUpTo = keepEncodingsUpTo,
        });

    public static PropertyVerdict Verdict(ExploreResult r, Property p) => r.Verdicts.Single(v => v.Property == p);
}
