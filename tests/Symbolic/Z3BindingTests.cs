using Verify.Checker.Symbolic.Z3;
using Xunit;

namespace Verify.Tests.Symbolic;

/// <summary>The Z3 binding: answers Z3 must give (hand-derived), scopes, models, errors as exceptions, and the arena's bookkeeping.</summary>
public sealed class Z3BindingTests
{
    private static Z3Context Z3()
    {
        Assert.SkipUnless(Z3Library.Available, Z3Library.Missing);
        return new Z3Context();
    }

    [Fact]
    public void The_installed_library_is_debians_4_8()
    {
        Assert.SkipUnless(Z3Library.Available, Z3Library.Missing);
        Assert.StartsWith("4.", Z3Library.Version);
    }

    [Fact]
    public void A_satisfiable_query_has_a_model_that_satisfies_it()
    {
        using var z3 = Z3();
        var bv8 = z3.BitVector(8);
        var (x, y) = (z3.Const("x", bv8), z3.Const("y", bv8));
        var s = z3.Solver();
        // x + y = 10 (mod 256), x < 3, y <= 8: only x = 2, y = 8.
        s.Assert(z3.Eq(z3.BvAdd(x, y), z3.Num(10, bv8)));
        s.Assert(z3.BvUlt(x, z3.Num(3, bv8)));
        s.Assert(z3.BvUle(y, z3.Num(8, bv8)));
        Assert.Equal(SolveResult.Sat, s.Check());
        var m = s.Model();
        Assert.Equal(2UL, m.UInt(x));
        Assert.Equal(8UL, m.UInt(y));
        Assert.True(m.Bool(z3.Eq(z3.BvAdd(x, y), z3.Num(10, bv8))));
    }

    /// <summary>
    /// Preprocessing once and querying the result many times (as BMC does per depth): solving <c>x = y + 1</c> away leaves
    /// formulas without x; a model of them plus <c>y = 5</c> has no x, and converted back it must give x = 6. A tactic
    /// pipeline solver bit-blasts and answers the same queries. Everything made is owned and released with the context.
    /// </summary>
    [Fact]
    public void A_preprocessed_goal_answers_queries_and_its_models_convert_back()
    {
        using var z3 = Z3();
        var bv8 = z3.BitVector(8);
        var (x, y) = (z3.Const("x", bv8), z3.Const("y", bv8));
        var pre = z3.Preprocess([z3.Eq(x, z3.BvAdd(y, z3.Num(1, bv8))), z3.BvUlt(x, z3.Num(10, bv8))], "simplify", "solve-eqs");
        Assert.NotNull(pre);
        Assert.DoesNotContain(pre.Formulas, f => System.Text.RegularExpressions.Regex.IsMatch(z3.ToString(f), @"\bx\b")); // x is solved away
        var q = z3.TacticSolver("bit-blast", "sat");
        foreach (var f in pre.Formulas) q.Assert(f);
        q.Assert(z3.Eq(y, z3.Num(5, bv8)));
        Assert.Equal(SolveResult.Sat, q.Check());
        Assert.Equal(6UL, pre.Convert(q.Model()).UInt(x));
        var q2 = z3.TacticSolver("bit-blast", "sat");
        foreach (var f in pre.Formulas) q2.Assert(f);
        q2.Assert(z3.Eq(y, z3.Num(9, bv8))); // then x = 10, not below 10
        Assert.Equal(SolveResult.Unsat, q2.Check());
        Assert.True(z3.Owned > 0);
    }

    [Fact]
    public void Push_and_pop_scope_the_assertions()
    {
        using var z3 = Z3();
        var bv4 = z3.BitVector(4);
        var x = z3.Const("x", bv4);
        var s = z3.Solver();
        s.Assert(z3.BvUlt(x, z3.Num(3, bv4)));
        s.Push();
        s.Assert(z3.BvUlt(z3.Num(5, bv4), x)); // x < 3 and 5 < x: impossible
        Assert.Equal(1u, s.Scopes);
        Assert.Equal(SolveResult.Unsat, s.Check());
        s.Pop();
        Assert.Equal(SolveResult.Sat, s.Check());
        Assert.Throws<InvalidOperationException>(() => s.Pop());
    }

    [Fact]
    public void Booleans_distinct_and_ite_behave_as_in_logic()
    {
        using var z3 = Z3();
        var (p, q) = (z3.Const("p", z3.Bool), z3.Const("q", z3.Bool));
        var s = z3.Solver();
        // p -> q, p, not q: unsat (modus ponens).
        s.Push();
        s.Assert(z3.Implies(p, q));
        s.Assert(p);
        s.Assert(z3.Not(q));
        Assert.Equal(SolveResult.Unsat, s.Check());
        s.Pop();
        // Three distinct 1-bit values do not exist.
        var bv1 = z3.BitVector(1);
        s.Assert(z3.Distinct(z3.Const("a", bv1), z3.Const("b", bv1), z3.Const("c", bv1)));
        Assert.Equal(SolveResult.Unsat, s.Check());
        Assert.True(z3.Solver() is { } fresh && fresh.Check() == SolveResult.Sat); // the empty query
        var ite = z3.Ite(z3.True, z3.Num(7, z3.BitVector(4)), z3.Num(1, z3.BitVector(4)));
        var t = z3.Solver();
        t.Assert(z3.Eq(z3.Const("r", z3.BitVector(4)), ite));
        Assert.Equal(SolveResult.Sat, t.Check());
        Assert.Equal(7UL, t.Model().UInt(z3.Const("r", z3.BitVector(4))));
    }

    [Fact]
    public void Misuse_is_an_exception_not_a_dead_process()
    {
        using var z3 = Z3();
        var e = Assert.Throws<Z3Exception>(() => z3.BvAdd(z3.True, z3.Num(1, z3.BitVector(8))));
        Assert.Contains("bvadd", e.Message);
        // The context is still usable afterwards.
        var s = z3.Solver();
        s.Assert(z3.True);
        Assert.Equal(SolveResult.Sat, s.Check());
    }

    [Fact]
    public void Queries_print_as_smt_lib()
    {
        using var z3 = Z3();
        var s = z3.Solver();
        s.Assert(z3.BvUlt(z3.Const("depth", z3.BitVector(8)), z3.Num(3, z3.BitVector(8))));
        var text = s.ToSmt2();
        Assert.Contains("(declare-fun depth () (_ BitVec 8))", text);
        Assert.Contains("(assert (bvult depth #x03))", text);
    }

    [Fact]
    public void Every_handle_is_owned_once_and_released_with_the_context()
    {
        // Many contexts with many terms each: the arena frees every handle exactly once (a double free or a leak of
        // the context would crash or grow without bound here).
        for (var round = 0; round < 5; round++)
        {
            using var z3 = Z3();
            var bv = z3.BitVector(16);
            var acc = z3.Num(0, bv);
            for (var k = 0; k < 2000; k++) acc = z3.BvAdd(acc, z3.Const($"v{k % 50}", bv));
            var s = z3.Solver();
            // The sum is 40 times v0 + ... + v49, so 40 is reachable (and 1, being odd, would not be).
            s.Assert(z3.Eq(acc, z3.Num(40, bv)));
            Assert.Equal(SolveResult.Sat, s.Check());
            s.Model();
            Assert.True(z3.Owned > 4000, $"{z3.Owned} handles owned"); // 2000 constants and 2000 sums at least
            z3.Dispose();
            Assert.Equal(0, z3.Owned);
            Assert.Throws<ObjectDisposedException>(() => z3.True);
        }
    }
}
