using Verify.Checker.Symbolic.Z3;

namespace Verify.Checker.Symbolic;

/// <summary>
/// A term of <see cref="Z3Algebra"/>: a known constant (no Z3 term made until one is needed) or a Z3 term, with the set
/// of values it can take (<see cref="IAlgebra{T}.Values"/>; booleans: {0, 1}).
/// </summary>
public sealed class Z
{
    internal readonly Term? Term;
    internal readonly int? Known;
    internal readonly bool IsBool;
    internal readonly int[] Values;

    internal Z(int known, bool isBool)
    {
        Known = known;
        IsBool = isBool;
        Values = [known];
    }

    internal Z(Term term, bool isBool, int[] values)
    {
        Term = term;
        IsBool = isBool;
        Values = values;
    }

    public override string ToString() => Known is { } k ? (IsBool ? (k != 0 ? "true" : "false") : k.ToString()) : "<term>";
}

/// <summary>
/// The Z3 instance of <see cref="IAlgebra{T}"/>: booleans are Z3 booleans, integers 8-bit bit-vectors. Constants are folded
/// before any term is made (an <c>ite</c> on a known condition is its branch, an equality between value sets that cannot
/// meet is false), so a formula carries only what depends on the unknowns. Every term belongs to the
/// <see cref="Z3Context"/> given, which owns and frees it.
/// </summary>
public sealed class Z3Algebra : IAlgebra<Z>
{
    private const uint Width = 8;
    private readonly Z3Context z3;
    private readonly Sort bv;
    private readonly Term trueTerm, falseTerm;
    private readonly Term?[] numerals = new Term?[IAlgebra<Z>.Max + 1];
    private static readonly int[] BoolValues = [0, 1];

    public Z3Algebra(Z3Context z3)
    {
        this.z3 = z3;
        bv = z3.BitVector(Width);
        trueTerm = z3.True;
        falseTerm = z3.False;
        True = new Z(1, true);
        False = new Z(0, true);
    }

    public Z3Context Context => z3;

    public Z True { get; }
    public Z False { get; }

    public Z Int(int value) =>
        value is >= 0 and <= IAlgebra<Z>.Max ? new Z(value, false) : throw new SymbolicCapacityException($"the integer {value} does not fit the encoding's 8 bits");

    private Z Bool(bool b) => b ? True : False;

    /// <summary>The Z3 term of <paramref name="a"/> (made now for a constant).</summary>
    public Term TermOf(Z a)
    {
        if (a.Term is { } t) return t;
        var k = a.Known!.Value;
        if (a.IsBool) return k != 0 ? trueTerm : falseTerm;
        return numerals[k] ??= z3.Num((ulong)k, bv);
    }

    /// <summary>A new unknown: a boolean, or an integer that may take <paramref name="values"/>.</summary>
    public Z Variable(string name, bool isBool, int[] values)
    {
        var t = z3.Const(name, isBool ? z3.Bool : bv);
        return new Z(t, isBool, isBool ? BoolValues : values);
    }

    public Z Not(Z a) => a.Known is { } k ? Bool(k == 0) : new Z(z3.Not(a.Term!.Value), true, BoolValues);

    public Z And(Z a, Z b)
    {
        if (a.Known == 0 || b.Known == 0) return False;
        if (a.Known == 1) return b;
        if (b.Known == 1 || ReferenceEquals(a, b)) return a;
        return new Z(z3.And(a.Term!.Value, b.Term!.Value), true, BoolValues);
    }

    public Z Or(Z a, Z b)
    {
        if (a.Known == 1 || b.Known == 1) return True;
        if (a.Known == 0) return b;
        if (b.Known == 0 || ReferenceEquals(a, b)) return a;
        return new Z(z3.Or(a.Term!.Value, b.Term!.Value), true, BoolValues);
    }

    public Z Eq(Z a, Z b)
    {
        if (a.Known is { } x && b.Known is { } y) return Bool(x == y);
        if (ReferenceEquals(a, b)) return True;
        if (!a.Values.Intersect(b.Values).Any()) return False;
        return new Z(z3.Eq(TermOf(a), TermOf(b)), true, BoolValues);
    }

    public Z Ite(Z c, Z a, Z b)
    {
        if (c.Known is { } k) return k != 0 ? a : b;
        if (ReferenceEquals(a, b) || (a.Known is { } x && b.Known == x)) return a;
        if (a.IsBool)
        {
            if (a.Known == 1 && b.Known == 0) return c;
            if (a.Known == 0 && b.Known == 1) return Not(c);
            if (a.Known == 0) return And(Not(c), b);
            if (b.Known == 1) return Or(Not(c), a);
            if (b.Known == 0) return And(c, a);
            if (a.Known == 1) return Or(c, b);
        }
        var values = a.Values.Length == 1 && b.Values.Length == 1 && a.Values[0] == b.Values[0] ? a.Values : Union(a.Values, b.Values);
        return new Z(z3.Ite(c.Term!.Value, TermOf(a), TermOf(b)), a.IsBool, values);
    }

    public Z Inc(Z a, int k)
    {
        if (k == 0) return a;
        var m = (k % 256 + 256) % 256;
        if (a.Known is { } x) return Int((x + m) % 256);
        var values = a.Values.Select(v => (v + m) % 256).Distinct().Order().ToArray();
        return new Z(z3.BvAdd(a.Term!.Value, TermOf(Int(m))), false, values);
    }

    public Z Add(Z a, Z b)
    {
        if (a.Known is { } x && b.Known is { } y) return Int((x + y) % 256);
        if (a.Known == 0) return b;
        if (b.Known == 0) return a;
        var values = a.Values.Length * b.Values.Length > 256
            ? Enumerable.Range(0, 256).ToArray()
            : a.Values.SelectMany(u => b.Values.Select(v => (u + v) % 256)).Distinct().Order().ToArray();
        return new Z(z3.BvAdd(TermOf(a), TermOf(b)), false, values);
    }

    public Z Lt(Z a, Z b)
    {
        if (a.Known is { } x && b.Known is { } y) return Bool(x < y);
        if (a.Values.Max() < b.Values.Min()) return True;
        if (a.Values.Min() >= b.Values.Max()) return False;
        return new Z(z3.BvUlt(TermOf(a), TermOf(b)), true, BoolValues);
    }

    public bool? KnownBool(Z a) => a.Known is { } k ? k != 0 : null;
    public int? KnownInt(Z a) => a.Known;
    public IReadOnlyList<int> Values(Z a) => a.Values;

    private static int[] Union(int[] a, int[] b)
    {
        var set = new SortedSet<int>(a);
        set.UnionWith(b);
        return [.. set];
    }
}
