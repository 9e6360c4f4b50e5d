using Verify.Model;

namespace Verify.Checker.Specs;

/// <summary>What a spec file configures: the catalogue and the number of subinterpreter slots.</summary>
/// <param name="Source">the file, or "built-in" for the default</param>
/// <param name="SlotsGiven">whether the spec set <c>slots</c>; if not, replay widens the default to fit the trace</param>
internal sealed record SpecFile(string Source, Catalogue Catalogue, int Slots, bool SlotsGiven)
{
    public const int DefaultSlots = 2;

    public static SpecFile Default() => new("built-in", DefaultCatalogue.Create(), DefaultSlots, false);
}
