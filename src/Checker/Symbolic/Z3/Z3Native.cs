using System.Reflection;
using System.Runtime.InteropServices;

namespace Verify.Checker.Symbolic.Z3;

/// <summary>
/// The part of Z3's C API (z3_api.h, Z3 4.8.12 as Debian's libz3-4 ships it) that Verify uses, by P/Invoke.
/// Every handle is an opaque pointer. Z3_bool is C's one-byte bool; Z3_lbool is an int (-1 false, 0 undef, 1 true).
/// Nothing here manages lifetimes: <see cref="Z3Context"/> does (reference counts, one owner per handle).
/// </summary>
internal static partial class Z3Native
{
    /// <summary>The name the imports use; <see cref="Resolve"/> maps it to the installed library.</summary>
    public const string Lib = "z3";

    /// <summary>Debian's libz3-4 installs libz3.so.4 (and libz3.so only with libz3-dev), so both are tried.</summary>
    public static readonly string[] LibraryNames = ["libz3.so.4", "libz3.so", "libz3.dylib", "libz3.dll"];

    static Z3Native() => NativeLibrary.SetDllImportResolver(typeof(Z3Native).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Lib) return IntPtr.Zero;
        foreach (var candidate in LibraryNames)
            if (NativeLibrary.TryLoad(candidate, assembly, path, out var handle)) return handle;
        return IntPtr.Zero;
    }

    /// <summary>Loads the library once; false if it is not installed.</summary>
    public static bool TryLoad(out string? version)
    {
        version = null;
        try
        {
            version = Marshal.PtrToStringUTF8(Z3_get_full_version());
            return true;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport(Lib)] public static extern IntPtr Z3_get_full_version();

    [DllImport(Lib)] public static extern IntPtr Z3_mk_config();
    [DllImport(Lib)] public static extern void Z3_del_config(IntPtr cfg);
    [DllImport(Lib)] public static extern void Z3_set_param_value(IntPtr cfg, [MarshalAs(UnmanagedType.LPUTF8Str)] string id, [MarshalAs(UnmanagedType.LPUTF8Str)] string value);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_context_rc(IntPtr cfg);
    [DllImport(Lib)] public static extern void Z3_del_context(IntPtr ctx);
    [DllImport(Lib)] public static extern void Z3_set_error_handler(IntPtr ctx, IntPtr handler);
    [DllImport(Lib)] public static extern uint Z3_get_error_code(IntPtr ctx);
    [DllImport(Lib)] public static extern IntPtr Z3_get_error_msg(IntPtr ctx, uint code);
    [DllImport(Lib)] public static extern void Z3_interrupt(IntPtr ctx);

    [DllImport(Lib)] public static extern void Z3_inc_ref(IntPtr ctx, IntPtr ast);
    [DllImport(Lib)] public static extern void Z3_dec_ref(IntPtr ctx, IntPtr ast);
    [DllImport(Lib)] public static extern IntPtr Z3_ast_to_string(IntPtr ctx, IntPtr ast);

    [DllImport(Lib)] public static extern IntPtr Z3_mk_string_symbol(IntPtr ctx, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_bool_sort(IntPtr ctx);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_bv_sort(IntPtr ctx, uint size);
    [DllImport(Lib)] public static extern IntPtr Z3_sort_to_ast(IntPtr ctx, IntPtr sort);

    [DllImport(Lib)] public static extern IntPtr Z3_mk_const(IntPtr ctx, IntPtr symbol, IntPtr sort);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_unsigned_int64(IntPtr ctx, ulong value, IntPtr sort);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_true(IntPtr ctx);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_false(IntPtr ctx);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_eq(IntPtr ctx, IntPtr l, IntPtr r);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_not(IntPtr ctx, IntPtr a);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_and(IntPtr ctx, uint n, IntPtr[] args);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_or(IntPtr ctx, uint n, IntPtr[] args);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_distinct(IntPtr ctx, uint n, IntPtr[] args);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_implies(IntPtr ctx, IntPtr l, IntPtr r);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_ite(IntPtr ctx, IntPtr c, IntPtr t, IntPtr e);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_bvadd(IntPtr ctx, IntPtr l, IntPtr r);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_bvsub(IntPtr ctx, IntPtr l, IntPtr r);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_bvule(IntPtr ctx, IntPtr l, IntPtr r);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_bvult(IntPtr ctx, IntPtr l, IntPtr r);

    [DllImport(Lib)] public static extern IntPtr Z3_mk_solver(IntPtr ctx);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_goal(IntPtr ctx, bool models, bool unsatCores, bool proofs);
    [DllImport(Lib)] public static extern void Z3_goal_inc_ref(IntPtr ctx, IntPtr g);
    [DllImport(Lib)] public static extern void Z3_goal_dec_ref(IntPtr ctx, IntPtr g);
    [DllImport(Lib)] public static extern void Z3_goal_assert(IntPtr ctx, IntPtr g, IntPtr a);
    [DllImport(Lib)] public static extern uint Z3_goal_size(IntPtr ctx, IntPtr g);
    [DllImport(Lib)] public static extern IntPtr Z3_goal_formula(IntPtr ctx, IntPtr g, uint idx);
    [DllImport(Lib)] public static extern IntPtr Z3_goal_convert_model(IntPtr ctx, IntPtr g, IntPtr m);
    [DllImport(Lib)] public static extern IntPtr Z3_tactic_apply(IntPtr ctx, IntPtr t, IntPtr g);
    [DllImport(Lib)] public static extern void Z3_apply_result_inc_ref(IntPtr ctx, IntPtr r);
    [DllImport(Lib)] public static extern void Z3_apply_result_dec_ref(IntPtr ctx, IntPtr r);
    [DllImport(Lib)] public static extern uint Z3_apply_result_get_num_subgoals(IntPtr ctx, IntPtr r);
    [DllImport(Lib)] public static extern IntPtr Z3_apply_result_get_subgoal(IntPtr ctx, IntPtr r, uint i);
    [DllImport(Lib)] public static extern IntPtr Z3_eval_smtlib2_string(IntPtr ctx, [MarshalAs(UnmanagedType.LPUTF8Str)] string script);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_tactic(IntPtr ctx, [MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    [DllImport(Lib)] public static extern void Z3_tactic_inc_ref(IntPtr ctx, IntPtr t);
    [DllImport(Lib)] public static extern void Z3_tactic_dec_ref(IntPtr ctx, IntPtr t);
    [DllImport(Lib)] public static extern IntPtr Z3_tactic_and_then(IntPtr ctx, IntPtr a, IntPtr b);
    [DllImport(Lib)] public static extern IntPtr Z3_mk_solver_from_tactic(IntPtr ctx, IntPtr t);
    [DllImport(Lib)] public static extern void Z3_solver_inc_ref(IntPtr ctx, IntPtr solver);
    [DllImport(Lib)] public static extern void Z3_solver_dec_ref(IntPtr ctx, IntPtr solver);
    [DllImport(Lib)] public static extern void Z3_solver_assert(IntPtr ctx, IntPtr solver, IntPtr a);
    [DllImport(Lib)] public static extern void Z3_solver_push(IntPtr ctx, IntPtr solver);
    [DllImport(Lib)] public static extern void Z3_solver_pop(IntPtr ctx, IntPtr solver, uint n);
    [DllImport(Lib)] public static extern uint Z3_solver_get_num_scopes(IntPtr ctx, IntPtr solver);
    [DllImport(Lib)] public static extern int Z3_solver_check(IntPtr ctx, IntPtr solver);
    [DllImport(Lib)] public static extern IntPtr Z3_solver_get_model(IntPtr ctx, IntPtr solver);
    [DllImport(Lib)] public static extern IntPtr Z3_solver_get_reason_unknown(IntPtr ctx, IntPtr solver);
    [DllImport(Lib)] public static extern IntPtr Z3_solver_to_string(IntPtr ctx, IntPtr solver);

    [DllImport(Lib)] public static extern void Z3_model_inc_ref(IntPtr ctx, IntPtr model);
    [DllImport(Lib)] public static extern void Z3_model_dec_ref(IntPtr ctx, IntPtr model);
    [DllImport(Lib)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static extern bool Z3_model_eval(IntPtr ctx, IntPtr model, IntPtr t, [MarshalAs(UnmanagedType.U1)] bool completion, out IntPtr result);
    [DllImport(Lib)] public static extern int Z3_get_bool_value(IntPtr ctx, IntPtr a);
    [DllImport(Lib)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static extern bool Z3_get_numeral_uint64(IntPtr ctx, IntPtr a, out ulong value);
}
