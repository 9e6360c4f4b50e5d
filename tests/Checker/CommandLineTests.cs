using System.CommandLine;
using Verify.Checker;
using Xunit;

namespace Verify.Tests.Checker;

public class CommandLineTests
{
    [Fact]
    public void Semantics_is_required_unless_the_trace_names_one()
    {
        var bare = CliRunner.TempFile("bare.yaml", "- {op: import, I: 0, mod: _testsinglephase}\n");
        var r = CliRunner.Run("replay", bare);
        Assert.Equal(2, r.Code);
        Assert.Contains("--semantics", r.Err);
        Assert.Contains("cpython-3.12", r.Err); // the list of known names

        var named = CliRunner.TempFile("named.yaml", "semantics: cpython-3.13\nsteps:\n  - {op: import, I: 0, mod: _testsinglephase}\n");
        var ok = CliRunner.Run("replay", named);
        Assert.Equal(0, ok.Code);
        Assert.Contains("under cpython-3.13", ok.Out);
    }

    [Fact]
    public void Unknown_semantics_lists_the_known_ones()
    {
        var r = CliRunner.Run("replay", CliRunner.Spec("traces/d2-rename.yaml"), "--semantics", "cpython-3.21");
        Assert.Equal(2, r.Code);
        Assert.Contains("unknown semantics 'cpython-3.21'", r.Err);
        foreach (var n in new[] { "cpython-3.10", "cpython-3.11", "cpython-3.12", "cpython-3.13", "cpython-main" })
            Assert.Contains(n, r.Err);
    }

    [Fact]
    public void Usage_errors_are_bad_input()
    {
        Assert.Equal(2, CliRunner.Run("replay").Code);
        Assert.Equal(2, CliRunner.Run("no-such-command").Code);
        Assert.Equal(2, CliRunner.Run("replay", "x.yaml", "--no-such-option").Code);
    }

    [Fact]
    public void An_unexpected_exception_is_an_internal_error_with_exit_70()
    {
        var verbose = new Option<bool>("--verbose");
        var root = new RootCommand { verbose };

        var quiet = new StringWriter();
        var code = new CliContext(new StringWriter(), quiet, false, verbose)
            .Guard(root.Parse([]), () => throw new InvalidOperationException("boom"));
        Assert.Equal(70, code);
        Assert.Contains("internal error: boom", quiet.ToString());
        Assert.Contains("run with --verbose for the stack trace", quiet.ToString());
        Assert.DoesNotContain("   at ", quiet.ToString());

        var loud = new StringWriter();
        new CliContext(new StringWriter(), loud, false, verbose)
            .Guard(root.Parse(["--verbose"]), () => throw new InvalidOperationException("boom"));
        Assert.Contains("   at ", loud.ToString());
    }

    [Fact]
    public void List_shows_every_semantics_and_every_module_of_the_default_catalogue()
    {
        var r = CliRunner.Run("list");
        Assert.Equal(0, r.Code);
        foreach (var s in Verify.Model.SemanticsRegistry.All)
        {
            Assert.Contains(s.Name, r.Out);
            Assert.Contains(s.Summary, r.Out);
        }
        foreach (var m in Verify.Model.DefaultCatalogue.Create().Modules)
            Assert.Contains(m.Key, r.Out);
        Assert.Contains("cpython-main", r.Out);
    }

    [Fact]
    public void List_shows_every_property_with_its_kind_and_statement()
    {
        var r = CliRunner.Run("list");
        Assert.Equal(0, r.Code);
        foreach (var p in Verify.Properties.IsolationProperties.All)
            Assert.Contains(r.Out.Split('\n'), line =>
                line.Contains(p.Name + " ", StringComparison.Ordinal) && line.EndsWith(p.Statement, StringComparison.Ordinal) &&
                line.Contains(p.Kind == Verify.Properties.PropertyKind.Always ? " always " : " sometimes ", StringComparison.Ordinal));
    }

    [Fact]
    public void Demo_runs_the_D2_rename_under_every_semantics()
    {
        var r = CliRunner.Run("demo");
        Assert.Equal(0, r.Code);
        var sections = r.Out.Split("\n\n");
        // Semantics document 3.1: D2 is a decref-foreign of main's m_copy on 3.10-3.12; 3.13 runs it under main.
        Assert.Contains(sections, s => s.StartsWith("cpython-3.12: YES", StringComparison.Ordinal) && s.Contains("step 3: FOREIGN free by sub1 of dict (_testsinglephase) owned by main"));
        Assert.Contains(sections, s => s.StartsWith("cpython-3.11: YES", StringComparison.Ordinal));
        Assert.Contains(sections, s => s.StartsWith("cpython-3.13: no subinterpreter", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_arguments_verify_compares_every_semantics_on_the_built_in_default_spec()
    {
        var seen = new List<Verify.Model.Configuration>();
        var r = CliRunner.RunWith((config, options) =>
        {
            seen.Add(config);
            return Verify.Checker.Explore.ReferenceSearch.Run(config, options.Properties, 1);
        });
        // The main job (issue 5): the releases, then the fix strategies, each against every property.
        Assert.Equal(["cpython-3.11", "cpython-3.12", "cpython-3.13", "fix-per-interp-def", "fix-per-interp-m-copy", "fix-opt-out", "fix-immortal-m-copy"],
            seen.Select(c => c.Semantics.Name));
        Assert.All(seen, c => Assert.Equal(["_testsinglephase", "_testsinglephase_basic_wrapper", "sys", "builtins"], c.Catalogue.Modules.Select(m => m.Name)));
        Assert.Contains("compare: 7 semantics x 11 properties on built-in specs/default.yaml", r.Out);
        // D1 (semantics document 2.1) is one step long: the depth-1 stand-in search finds it under 3.11, in the matrix.
        Assert.Matches(@"no-cross-interpreter-decref\s+VIOLATED 1 ", r.Out);
        // compare reports rather than judges: a complete comparison exits 0 whatever its verdicts.
        Assert.Equal(0, r.Code);
    }

    [Fact]
    public void The_built_in_D2_trace_is_the_one_in_specs()
    {
        var file = Verify.Checker.Traces.TraceParser.ParseFile(CliRunner.Spec("traces/d2-rename.yaml"));
        var builtin = Verify.Checker.Commands.BuiltinTraces.D2Rename();
        Assert.Equal(builtin.Steps, file.Steps.Select(s => s with { Line = 0, Column = 0 }));
    }
}
