namespace Verify.Checker.Symbolic;

/// <summary>
/// The vocabulary the symbolic transition function (<see cref="SymMachine{T}"/>) is written in: booleans and small
/// unsigned integers (0..<see cref="Max"/>, 8-bit bit-vectors in Z3), if-then-else, equality, comparison and addition.
/// One term type <typeparamref name="T"/> carries both sorts. Two instances: <see cref="ConcreteAlgebra"/> (plain ints,
/// 0/1 for booleans) and <see cref="Z3Algebra"/> (Z3 terms). The transition function is written once, against this
/// interface, so the concrete instance, which is tested against the explicit model, is the same code that builds the
/// solver's formulas.
/// </summary>
public interface IAlgebra<T>
{
    /// <summary>The largest integer value (the width is 8 bits: 0..255).</summary>
    const int Max = 255;

    T True { get; }
    T False { get; }
    T Int(int value);
    T Not(T a);
    T And(T a, T b);
    T Or(T a, T b);
    /// <summary>Equality of two integers.</summary>
    T Eq(T a, T b);
    /// <summary>If <paramref name="c"/> then <paramref name="a"/> else <paramref name="b"/> (both of one sort).</summary>
    T Ite(T c, T a, T b);
    /// <summary><paramref name="a"/> + <paramref name="k"/> (k may be negative; wraps modulo 256 in Z3).</summary>
    T Inc(T a, int k);
    T Add(T a, T b);
    /// <summary>Unsigned less-than.</summary>
    T Lt(T a, T b);

    /// <summary>The value of a boolean term if it is known without solving (always, concretely).</summary>
    bool? KnownBool(T a);
    /// <summary>The value of an integer term if it is known without solving.</summary>
    int? KnownInt(T a);
    /// <summary>
    /// Every value an integer term can take, a sound over-approximation (concretely, the value itself). Reads and
    /// writes through a reference visit only these slots, which is what keeps the formulas small.
    /// </summary>
    IReadOnlyList<int> Values(T a);
}

/// <summary>The concrete instance: booleans are 0 and 1, integers are plain ints. Every term is known.</summary>
public sealed class ConcreteAlgebra : IAlgebra<int>
{
    public static ConcreteAlgebra Instance { get; } = new();

    public int True => 1;
    public int False => 0;

    public int Int(int value) =>
        value is >= 0 and <= IAlgebra<int>.Max ? value : throw new SymbolicCapacityException($"the integer {value} does not fit the encoding's 8 bits");

    public int Not(int a) => 1 - a;
    public int And(int a, int b) => a & b;
    public int Or(int a, int b) => a | b;
    public int Eq(int a, int b) => a == b ? 1 : 0;
    public int Ite(int c, int a, int b) => c != 0 ? a : b;
    public int Inc(int a, int k) => Int(a + k);
    public int Add(int a, int b) => Int(a + b);
    public int Lt(int a, int b) => a < b ? 1 : 0;
    public bool? KnownBool(int a) => a != 0;
    public int? KnownInt(int a) => a;
    public IReadOnlyList<int> Values(int a) => [a];
}

/// <summary>
/// A bound of the encoding was exceeded (an integer past 8 bits, more objects or indices than the configuration's
/// capacity): the concrete instance throws this rather than compute a wrong successor.
/// </summary>
public sealed class SymbolicCapacityException(string message) : Exception(message);
