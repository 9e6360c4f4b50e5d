namespace Verify.Model;

/// <summary>
/// A reference held somewhere in the state: a heap object, nothing, or an immortal constant
/// (a constant is never counted: immortal objects ignore incref and decref).
/// </summary>
public readonly record struct ObjId(int Value)
{
    public static readonly ObjId None = new(-1);
    /// <summary>An immortal constant, e.g. the string a test rebinds an attribute to.</summary>
    public static readonly ObjId Constant = new(-2);

    public bool IsNone => Value == -1;
    public bool IsConstant => Value == -2;
    public bool IsObject => Value >= 0;

    public override string ToString() => Value switch { -1 => "NULL", -2 => "const", _ => "#" + Value };
}

/// <summary>Interpreter 0 is main; 1..N are the subinterpreter slots of a configuration.</summary>
public static class Interp
{
    public const int Main = 0;
    public static string Name(int id) => id == Main ? "main" : $"sub{id}";
}
