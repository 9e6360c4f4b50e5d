namespace Verify.Model;

/// <summary>
/// One step a program (or the embedding application) can take. Actions are values: equal actions do the
/// same thing in the same state. Module arguments are catalogue indices; <see cref="ActionText"/> names them.
/// </summary>
public abstract record Action
{
    /// <summary>The trace-format op name.</summary>
    public abstract string Op { get; }
}

/// <summary>Create subinterpreter <paramref name="I"/> (<c>_interpreters.create</c> / <c>Py_NewInterpreter</c>).</summary>
public sealed record NewInterp(int I, InterpKind Mode) : Action { public override string Op => "new_interp"; }

/// <summary>End subinterpreter <paramref name="I"/> (<c>Py_EndInterpreter</c>, T11).</summary>
public sealed record EndInterp(int I) : Action { public override string Op => "end_interp"; }

/// <summary>Actions of a program running in interpreter <c>I</c> on one catalogue module.</summary>
public abstract record ModuleAction(int I, int Module) : Action;

/// <summary><c>import name</c> in I: a no-op if the name is in <c>sys.modules</c>, else a load (T1/T2/T3/T5).</summary>
public sealed record Import(int I, int Module) : ModuleAction(I, Module) { public override string Op => "import"; }

/// <summary><c>del sys.modules[name]</c> in I.</summary>
public sealed record DelSysModules(int I, int Module) : ModuleAction(I, Module) { public override string Op => "del_sys_modules"; }

/// <summary><c>importlib.reload(sys.modules[name])</c> in I (T4).</summary>
public sealed record Reload(int I, int Module) : ModuleAction(I, Module) { public override string Op => "reload"; }

/// <summary><c>importlib._bootstrap._load(spec)</c> while the name is still in <c>sys.modules</c> (T4b).</summary>
public sealed record ReloadSpec(int I, int Module) : ModuleAction(I, Module) { public override string Op => "reload_spec"; }

/// <summary><c>_testinternalcapi.clear_extension(name, path)</c> in I (T10; 3.12+).</summary>
public sealed record ClearExtension(int I, int Module) : ModuleAction(I, Module) { public override string Op => "clear_extension"; }

/// <summary><c>sys.modules[name].obj = 'x'</c> in I: rebinds an attribute to an immortal constant (O21, O22).</summary>
public sealed record SetAttr(int I, int Module) : ModuleAction(I, Module) { public override string Op => "set_attr"; }

/// <summary><c>Py_Finalize</c>: remaining subinterpreters end, then main, then the runtime (T12).</summary>
public sealed record Finalization : Action { public override string Op => "finalize"; }

public static class ActionText
{
    /// <summary>The modes a subinterpreter can be created in, each with its trace-format name.</summary>
    public static IReadOnlyList<InterpKind> SubinterpreterModes { get; } =
        [InterpKind.Legacy, InterpKind.Isolated, InterpKind.IsolatedOverride];

    /// <summary>The mode a trace names, or null if it names none.</summary>
    public static InterpKind? ParseMode(string text) =>
        SubinterpreterModes.Select(k => (InterpKind?)k).FirstOrDefault(k => Mode(k!.Value) == text);

    public static string Mode(InterpKind k) => k switch
    {
        InterpKind.Legacy => "legacy",
        InterpKind.Isolated => "isolated",
        InterpKind.IsolatedOverride => "isolated-override",
        _ => "main",
    };

    /// <summary>A one-line, human reading of an action: <c>sub1: import _testsinglephase</c>.</summary>
    public static string Describe(Action a, Catalogue cat) => a switch
    {
        NewInterp n => $"create {Interp.Name(n.I)} ({Mode(n.Mode)})",
        EndInterp e => $"end {Interp.Name(e.I)}",
        Import m => $"{Interp.Name(m.I)}: import {cat.Modules[m.Module].Name}",
        DelSysModules m => $"{Interp.Name(m.I)}: del sys.modules['{cat.Modules[m.Module].Name}']",
        Reload m => $"{Interp.Name(m.I)}: importlib.reload({cat.Modules[m.Module].Name})",
        ReloadSpec m => $"{Interp.Name(m.I)}: spec re-load of {cat.Modules[m.Module].Name}",
        ClearExtension m => $"{Interp.Name(m.I)}: clear_extension('{cat.Modules[m.Module].Name}')",
        SetAttr m => $"{Interp.Name(m.I)}: {cat.Modules[m.Module].Name}.obj = 'x'",
        Finalization => "finalize",
        _ => a.ToString(),
    };
}
