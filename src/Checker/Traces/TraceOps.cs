using Verify.Model;

namespace Verify.Checker.Traces;

/// <summary>The trace format's vocabulary: every op, the arguments it takes, and the interpreter modes.</summary>
internal static class TraceOps
{
    public const string NewInterp = "new_interp";
    public const string EndInterp = "end_interp";
    public const string Import = "import";
    public const string DelSysModules = "del_sys_modules";
    public const string Reload = "reload";
    public const string ReloadSpec = "reload_spec";
    public const string ClearExtension = "clear_extension";
    public const string SetAttr = "set_attr";
    public const string Finalize = "finalize";

    public const string ArgI = "I";
    public const string ArgMode = "mode";
    public const string ArgMod = "mod";

    /// <summary>Each op with its arguments, in the order they are written.</summary>
    public static IReadOnlyDictionary<string, string[]> Arguments { get; } = new Dictionary<string, string[]>
    {
        [NewInterp] = [ArgI, ArgMode],
        [EndInterp] = [ArgI],
        [Import] = [ArgI, ArgMod],
        [DelSysModules] = [ArgI, ArgMod],
        [Reload] = [ArgI, ArgMod],
        [ReloadSpec] = [ArgI, ArgMod],
        [ClearExtension] = [ArgI, ArgMod],
        [SetAttr] = [ArgI, ArgMod],
        [Finalize] = [],
    };

    /// <summary>Ops in documentation order (dictionary order is not guaranteed).</summary>
    public static IReadOnlyList<string> All { get; } =
        [NewInterp, EndInterp, Import, DelSysModules, Reload, ReloadSpec, ClearExtension, SetAttr, Finalize];

    /// <summary>The modes <c>new_interp</c> accepts; main (interpreter 0) exists from the start.</summary>
    public static IReadOnlyList<string> Modes { get; } = [.. ActionText.SubinterpreterModes.Select(ActionText.Mode)];

    public static string Usage(string op) =>
        "{" + string.Join(", ", Arguments[op].Prepend("op").Select(a => a == "op" ? $"\"op\": \"{op}\"" : $"\"{a}\": {Placeholder(a)}")) + "}";

    private static string Placeholder(string arg) => arg switch
    {
        ArgI => "<interpreter number, 0 is main>",
        ArgMode => "<" + string.Join("|", Modes) + ">",
        _ => "<module name>",
    };
}
