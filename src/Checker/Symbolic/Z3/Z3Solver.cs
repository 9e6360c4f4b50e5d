using System.Runtime.InteropServices;
using static Verify.Checker.Symbolic.Z3.Z3Native;

namespace Verify.Checker.Symbolic.Z3;

public enum SolveResult { Unsat, Unknown, Sat }

/// <summary>A solver of one <see cref="Z3Context"/>, with assertion scopes (push/pop) for incremental queries.</summary>
public sealed class Z3Solver
{
    private readonly Z3Context z3;
    private readonly IntPtr solver;

    internal Z3Solver(Z3Context z3, IntPtr solver) => (this.z3, this.solver) = (z3, solver);

    public void Assert(Term t)
    {
        Z3_solver_assert(z3.Handle, solver, t.Handle);
        z3.Check("an assertion");
    }

    public void Push()
    {
        Z3_solver_push(z3.Handle, solver);
        z3.Check("push");
    }

    public void Pop(uint scopes = 1)
    {
        if (scopes > Scopes) throw new InvalidOperationException($"pop of {scopes} scopes with only {Scopes} open");
        Z3_solver_pop(z3.Handle, solver, scopes);
        z3.Check("pop");
    }

    public uint Scopes => Z3_solver_get_num_scopes(z3.Handle, solver);

    public SolveResult Check()
    {
        var r = Z3_solver_check(z3.Handle, solver);
        z3.Check("check");
        return r switch { 1 => SolveResult.Sat, -1 => SolveResult.Unsat, _ => SolveResult.Unknown };
    }

    /// <summary>Why the last check returned unknown (a timeout, an interruption, incompleteness).</summary>
    public string ReasonUnknown => Marshal.PtrToStringUTF8(Z3_solver_get_reason_unknown(z3.Handle, solver)) ?? "";

    /// <summary>The model of the last check, which must have been sat.</summary>
    public Z3Model Model() => new(z3, z3.OwnModel(Z3_solver_get_model(z3.Handle, solver)));

    /// <summary>The assertions in SMT-LIB 2 (declarations and asserts), for other solvers.</summary>
    public string ToSmt2() => Marshal.PtrToStringUTF8(Z3_solver_to_string(z3.Handle, solver)) ?? "";
}

/// <summary>A satisfying assignment: values of terms under it, completed for constants it leaves free.</summary>
public sealed class Z3Model
{
    private readonly Z3Context z3;
    private readonly IntPtr model;

    internal Z3Model(Z3Context z3, IntPtr model) => (this.z3, this.model) = (z3, model);

    internal IntPtr Handle => model;

    private IntPtr Eval(Term t)
    {
        if (!Z3_model_eval(z3.Handle, model, t.Handle, true, out var value)) throw new Z3Exception("Z3 could not evaluate a term in the model");
        return z3.OwnTerm(value, "a value in the model").Handle;
    }

    public bool Bool(Term t) => Z3_get_bool_value(z3.Handle, Eval(t)) switch
    {
        1 => true,
        -1 => false,
        _ => throw new Z3Exception($"the model gives no truth value to {z3.ToString(t)}"),
    };

    public ulong UInt(Term t) => Z3_get_numeral_uint64(z3.Handle, Eval(t), out var v)
        ? v
        : throw new Z3Exception($"the model gives no number to {z3.ToString(t)}");
}
