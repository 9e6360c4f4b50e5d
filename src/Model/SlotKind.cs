namespace Verify.Model;

/// <summary>
/// A bound of a configuration: the modes one subinterpreter slot may be created in. Slots with equal kinds
/// are interchangeable, which is what the explorer's symmetry reduction relies on.
/// </summary>
public sealed record SlotKind(ValueArray<InterpKind> Modes)
{
    /// <summary>Any mode (the trace replayer's default).</summary>
    public static SlotKind Any { get; } = new(ValueArray.From(ActionText.SubinterpreterModes));

    public static SlotKind Of(params InterpKind[] modes) =>
        new(ValueArray.From(ActionText.SubinterpreterModes.Where(modes.Contains)));

    public bool Allows(InterpKind mode) => Modes.Contains(mode);

    /// <summary><c>legacy</c>, or <c>[isolated, isolated-override]</c>, or <c>any</c>.</summary>
    public string Text => Equals(Any) ? "any"
        : Modes.Count == 1 ? ActionText.Mode(Modes[0])
        : "[" + string.Join(", ", Modes.Select(ActionText.Mode)) + "]";

    public override string ToString() => Text;
}
