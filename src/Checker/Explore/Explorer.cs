using Verify.Model;

namespace Verify.Checker.Explore;

/// <summary>The exhaustive explorer (breadth-first, canonical states, symmetry, parallel). STUB: delegates to the reference search.</summary>
public static class Explorer
{
    public static ExploreResult Run(Configuration config, ExploreOptions options) =>
        ReferenceSearch.Run(config, options.Properties, options.MaxDepth ?? 4);
}
