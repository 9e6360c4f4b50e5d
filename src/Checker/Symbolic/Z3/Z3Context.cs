using System.Runtime.InteropServices;
using static Verify.Checker.Symbolic.Z3.Z3Native;

namespace Verify.Checker.Symbolic.Z3;

/// <summary>A Z3 error: the API was misused (a sort mismatch, a bad argument). A bug in Verify's encoding, not bad input.</summary>
public sealed class Z3Exception(string message) : Exception(message);

/// <summary>A term (an AST) of one <see cref="Z3Context"/>; valid until that context is disposed.</summary>
public readonly record struct Term(IntPtr Handle);

/// <summary>A sort of one <see cref="Z3Context"/>.</summary>
public readonly record struct Sort(IntPtr Handle);

/// <summary>
/// A Z3 context with reference-counted handles (<c>Z3_mk_context_rc</c>), owning every term, sort, solver and model
/// made through it. Ownership is an arena: each handle is incremented exactly once when it is made and decremented
/// exactly once when the context is disposed, in reverse order, before the context itself is deleted. So nothing
/// leaks and nothing is freed twice, whatever the caller does with the handles, and there are no finalizers racing
/// the context's deletion. A query builds its terms, solves, reads the model and disposes the context; memory grows
/// with the terms of one query only. Not thread-safe (neither is a Z3 context).
/// </summary>
public sealed class Z3Context : IDisposable
{
    private IntPtr ctx;
    private readonly List<IntPtr> asts = [];
    private readonly List<IntPtr> solvers = [];
    private readonly List<IntPtr> models = [];
    private readonly List<IntPtr> tactics = [];
    private readonly List<IntPtr> goals = [];
    private readonly List<IntPtr> results = [];
    private readonly Dictionary<uint, Sort> bitVectorSorts = [];
    private Sort? boolSort;

    /// <summary>Creates a context; throws an input error naming the package when libz3 is not installed.</summary>
    public Z3Context()
    {
        Z3Library.EnsureAvailable();
        var cfg = Z3_mk_config();
        try
        {
            Z3_set_param_value(cfg, "model", "true");
            ctx = Z3_mk_context_rc(cfg);
        }
        finally
        {
            Z3_del_config(cfg);
        }
        // Without a handler Z3 only records the error code (the default handler would end the process).
        Z3_set_error_handler(ctx, IntPtr.Zero);
    }

    internal IntPtr Handle => ctx != IntPtr.Zero ? ctx : throw new ObjectDisposedException(nameof(Z3Context));

    /// <summary>Throws if the last call set Z3's error code.</summary>
    internal void Check(string what)
    {
        var code = Z3_get_error_code(Handle);
        if (code == 0) return;
        var message = Marshal.PtrToStringUTF8(Z3_get_error_msg(ctx, code)) ?? $"error {code}";
        throw new Z3Exception($"Z3 refused {what}: {message}");
    }

    private Term Own(IntPtr ast, string what)
    {
        Check(what);
        if (ast == IntPtr.Zero) throw new Z3Exception($"Z3 returned no term for {what}");
        Z3_inc_ref(ctx, ast);
        asts.Add(ast);
        return new Term(ast);
    }

    public Sort Bool => boolSort ??= OwnSort(Z3_mk_bool_sort(Handle), "the Bool sort");

    /// <summary>The sort of bit-vectors of <paramref name="width"/> bits.</summary>
    public Sort BitVector(uint width)
    {
        if (bitVectorSorts.TryGetValue(width, out var s)) return s;
        return bitVectorSorts[width] = OwnSort(Z3_mk_bv_sort(Handle, width), $"a bit-vector sort of width {width}");
    }

    private Sort OwnSort(IntPtr sort, string what)
    {
        Own(Z3_sort_to_ast(Handle, sort), what);
        return new Sort(sort);
    }

    /// <summary>An uninterpreted constant (a variable of the query).</summary>
    public Term Const(string name, Sort sort) => Own(Z3_mk_const(Handle, Z3_mk_string_symbol(Handle, name), sort.Handle), $"the constant {name}");

    public Term Num(ulong value, Sort sort) => Own(Z3_mk_unsigned_int64(Handle, value, sort.Handle), $"the numeral {value}");

    public Term True => Own(Z3_mk_true(Handle), "true");
    public Term False => Own(Z3_mk_false(Handle), "false");
    public Term Of(bool b) => b ? True : False;

    public Term Eq(Term a, Term b) => Own(Z3_mk_eq(Handle, a.Handle, b.Handle), "=");
    public Term Not(Term a) => Own(Z3_mk_not(Handle, a.Handle), "not");
    public Term Implies(Term a, Term b) => Own(Z3_mk_implies(Handle, a.Handle, b.Handle), "=>");
    public Term Ite(Term c, Term t, Term e) => Own(Z3_mk_ite(Handle, c.Handle, t.Handle, e.Handle), "ite");

    /// <summary>Conjunction; the empty conjunction is true.</summary>
    public Term And(params IReadOnlyList<Term> terms) => terms.Count switch
    {
        0 => True,
        1 => terms[0],
        _ => Own(Z3_mk_and(Handle, (uint)terms.Count, Handles(terms)), "and"),
    };

    /// <summary>Disjunction; the empty disjunction is false.</summary>
    public Term Or(params IReadOnlyList<Term> terms) => terms.Count switch
    {
        0 => False,
        1 => terms[0],
        _ => Own(Z3_mk_or(Handle, (uint)terms.Count, Handles(terms)), "or"),
    };

    public Term Distinct(params IReadOnlyList<Term> terms) =>
        terms.Count < 2 ? True : Own(Z3_mk_distinct(Handle, (uint)terms.Count, Handles(terms)), "distinct");

    public Term BvAdd(Term a, Term b) => Own(Z3_mk_bvadd(Handle, a.Handle, b.Handle), "bvadd");
    public Term BvSub(Term a, Term b) => Own(Z3_mk_bvsub(Handle, a.Handle, b.Handle), "bvsub");
    public Term BvUle(Term a, Term b) => Own(Z3_mk_bvule(Handle, a.Handle, b.Handle), "bvule");
    public Term BvUlt(Term a, Term b) => Own(Z3_mk_bvult(Handle, a.Handle, b.Handle), "bvult");

    public string ToString(Term t) => Marshal.PtrToStringUTF8(Z3_ast_to_string(Handle, t.Handle)) ?? "";

    private static IntPtr[] Handles(IReadOnlyList<Term> terms)
    {
        var a = new IntPtr[terms.Count];
        for (var k = 0; k < a.Length; k++) a[k] = terms[k].Handle;
        return a;
    }

    public Z3Solver Solver() => OwnSolver(Z3_mk_solver(Handle), "a new solver");

    /// <summary>
    /// A one-shot solver that runs <paramref name="tactics"/> in turn on its assertions at each check (Z3's
    /// <c>and-then</c>), such as <c>simplify, solve-eqs, bit-blast, sat</c>.
    /// </summary>
    public Z3Solver TacticSolver(params string[] tactics) => OwnSolver(Z3_mk_solver_from_tactic(Handle, Pipeline(tactics)), "a solver from tactics");

    private Z3Solver OwnSolver(IntPtr s, string what)
    {
        Check(what);
        Z3_solver_inc_ref(ctx, s);
        solvers.Add(s);
        return new Z3Solver(this, s);
    }

    /// <summary>Runs an SMT-LIB 2 script in this context, as Z3's own front end would; returns what it prints.</summary>
    public string Evaluate(string script)
    {
        var output = Z3_eval_smtlib2_string(Handle, script);
        Check("the SMT-LIB 2 script");
        return Marshal.PtrToStringUTF8(output) ?? "";
    }

    /// <summary>
    /// Runs <paramref name="tactics"/> once on <paramref name="assertions"/> (with models kept), for many queries over the
    /// same formula: null if the result is not one subgoal (decided, or split), else the subgoal. A model of a query over
    /// the subgoal's formulas becomes one of the assertions through <see cref="Preprocessed.Convert"/>.
    /// </summary>
    public Preprocessed? Preprocess(IEnumerable<Term> assertions, params string[] tactics)
    {
        var goal = Z3_mk_goal(Handle, true, false, false);
        Check("a goal");
        Z3_goal_inc_ref(ctx, goal);
        goals.Add(goal);
        foreach (var a in assertions) Z3_goal_assert(ctx, goal, a.Handle);
        Check("the goal's assertions");
        var result = Z3_tactic_apply(Handle, Pipeline(tactics), goal);
        Check("the tactics");
        Z3_apply_result_inc_ref(ctx, result);
        results.Add(result);
        if (Z3_apply_result_get_num_subgoals(ctx, result) != 1) return null;
        var sub = Z3_apply_result_get_subgoal(ctx, result, 0);
        Z3_goal_inc_ref(ctx, sub);
        goals.Add(sub);
        var formulas = new List<Term>();
        var n = Z3_goal_size(ctx, sub);
        for (uint k = 0; k < n; k++) formulas.Add(Own(Z3_goal_formula(ctx, sub, k), "a subgoal's formula"));
        return new Preprocessed(this, sub, formulas);
    }

    /// <summary><paramref name="tactics"/> in turn (Z3's <c>and-then</c>), owned by this context.</summary>
    private IntPtr Pipeline(string[] tactics)
    {
        var pipeline = IntPtr.Zero;
        foreach (var name in tactics)
        {
            var t = OwnTactic(Z3_mk_tactic(Handle, name), $"the tactic {name}");
            pipeline = pipeline == IntPtr.Zero ? t : OwnTactic(Z3_tactic_and_then(Handle, pipeline, t), "and-then");
        }
        return pipeline;
    }

    private IntPtr OwnTactic(IntPtr t, string what)
    {
        Check(what);
        Z3_tactic_inc_ref(ctx, t);
        tactics.Add(t);
        return t;
    }

    internal IntPtr OwnModel(IntPtr m)
    {
        Check("the model");
        Z3_model_inc_ref(ctx, m);
        models.Add(m);
        return m;
    }

    internal Term OwnTerm(IntPtr ast, string what) => Own(ast, what);

    /// <summary>Asks a running check to stop (from another thread); the check then returns unknown.</summary>
    public void Interrupt()
    {
        if (ctx != IntPtr.Zero) Z3_interrupt(ctx);
    }

    /// <summary>Handles made by this context, still owned (for tests of the bookkeeping).</summary>
    public int Owned => asts.Count + solvers.Count + models.Count + tactics.Count + goals.Count + results.Count;

    public void Dispose()
    {
        if (ctx == IntPtr.Zero) return;
        for (var k = models.Count - 1; k >= 0; k--) Z3_model_dec_ref(ctx, models[k]);
        for (var k = solvers.Count - 1; k >= 0; k--) Z3_solver_dec_ref(ctx, solvers[k]);
        for (var k = tactics.Count - 1; k >= 0; k--) Z3_tactic_dec_ref(ctx, tactics[k]);
        for (var k = goals.Count - 1; k >= 0; k--) Z3_goal_dec_ref(ctx, goals[k]);
        for (var k = results.Count - 1; k >= 0; k--) Z3_apply_result_dec_ref(ctx, results[k]);
        for (var k = asts.Count - 1; k >= 0; k--) Z3_dec_ref(ctx, asts[k]);
        models.Clear();
        solvers.Clear();
        tactics.Clear();
        goals.Clear();
        results.Clear();
        asts.Clear();
        Z3_del_context(ctx);
        ctx = IntPtr.Zero;
    }
}

/// <summary>The one subgoal of a preprocessing (<see cref="Z3Context.Preprocess"/>): its formulas, and the way back to the original goal's models.</summary>
public sealed class Preprocessed
{
    private readonly Z3Context z3;
    private readonly IntPtr subgoal;

    internal Preprocessed(Z3Context z3, IntPtr subgoal, IReadOnlyList<Term> formulas) => (this.z3, this.subgoal, Formulas) = (z3, subgoal, formulas);

    public IReadOnlyList<Term> Formulas { get; }

    /// <summary>A model of the original assertions from <paramref name="model"/>, a model of <see cref="Formulas"/> (and more).</summary>
    public Z3Model Convert(Z3Model model) => new(z3, z3.OwnModel(Z3_goal_convert_model(z3.Handle, subgoal, model.Handle)));
}
