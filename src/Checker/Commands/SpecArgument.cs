using System.CommandLine;
using Verify.Checker.Specs;

namespace Verify.Checker.Commands;

/// <summary>The optional SPEC argument of the commands that search a spec's configurations (check, random, bench).</summary>
internal static class SpecArgument
{
    public static Argument<string?> Create() => new("spec")
    {
        HelpName = "SPEC",
        Description = "the spec file (docs/specs.md); default: the built-in specs/default.yaml",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary>The spec the argument names, or the built-in default without one.</summary>
    public static SpecFile Load(ParseResult parse, Argument<string?> spec) =>
        parse.GetValue(spec) is { } path ? SpecParser.ParseFile(path) : SpecFile.BuiltInCheckDefault();
}
