using Verify.Model;
using Xunit;

namespace Verify.Tests.ModelProperties;

/// <summary>The configurations the model properties run on: every semantics, the default catalogue, two slots.</summary>
public static class ModelConfigs
{
    public const int Slots = 2;

    public static TheoryData<string> SemanticsNames => [.. SemanticsRegistry.All.Select(s => s.Name)];

    public static Configuration For(string semantics) =>
        new(SemanticsRegistry.Find(semantics) ?? throw new ArgumentException($"unknown semantics {semantics}"),
            DefaultCatalogue.Create(), Slots);
}
