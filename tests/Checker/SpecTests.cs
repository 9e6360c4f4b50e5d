using Verify.Checker;
using Verify.Checker.Specs;
using Verify.Model;
using Xunit;

namespace Verify.Tests.Checker;

public class SpecTests
{
    [Fact]
    public void The_example_spec_builds_its_catalogue_and_slots()
    {
        var spec = SpecParser.ParseFile(CliRunner.Spec("catalogue-example.yaml"));
        Assert.Equal(3, spec.Slots);
        var cat = spec.Catalogue;
        Assert.Equal(cat.DefIndexOf(cat.ModuleIndex("_testsinglephase")), cat.DefIndexOf(cat.ModuleIndex("alias")));
        Assert.Equal(InitStyle.MultiPhase, cat.DefOf(cat.ModuleIndex("_testmultiphase")).Style);
        Assert.True(cat.DefOf(cat.ModuleIndex("_testmultiphase")).PerInterpreterGil);
        Assert.Equal(ValueSet.All, cat.DefOf(cat.ModuleIndex("_testsinglephase_with_reinit")).Values); // the documented default
        Assert.Equal(2, cat.CoreModules.Count);
    }

    [Fact]
    public void A_rename_through_the_spec_catalogue_is_D2()
    {
        var trace = CliRunner.TempFile("alias.yaml", """
            - {op: import, I: 0, mod: _testsinglephase}
            - {op: new_interp, I: 3, mode: legacy}
            - {op: import, I: 3, mod: alias}
            """);
        var r = CliRunner.Run("replay", trace, "--semantics", "cpython-3.12", "--spec", CliRunner.Spec("catalogue-example.yaml"));
        Assert.Equal(0, r.Code);
        Assert.Contains("FOREIGN free by sub3 of dict (_testsinglephase) owned by main", r.Out);
    }

    [Fact]
    public void Slots_given_by_a_spec_bound_the_trace_while_the_default_grows()
    {
        var trace = CliRunner.TempFile("four.yaml", "- {op: new_interp, I: 4, mode: legacy}\n");
        Assert.Equal(0, CliRunner.Run("replay", trace, "-s", "cpython-3.12").Code);
        var r = CliRunner.Run("replay", trace, "-s", "cpython-3.12", "--spec", CliRunner.Spec("catalogue-example.yaml"));
        Assert.Equal(2, r.Code);
        Assert.Contains("slots 1..3", r.Err);
    }

    [Theory]
    [InlineData("sloots: 2\n", new[] { ":1:1", "unknown key 'sloots'", "Did you mean 'slots'?", "description, slots, interpreters, semantics, properties, depth, modules, operations, random, catalogue" })]
    [InlineData("modules: [_testsinglephase, _testsinglephse]\n", new[] { ":1:29", "'modules' of the spec names '_testsinglephse'", "Did you mean '_testsinglephase'?" })]
    [InlineData("operations: [import, imprt]\n", new[] { ":1:22", "'operations' of the spec names 'imprt'", "Did you mean 'import'?" })]
    [InlineData("slots: 0\n", new[] { ":1:8", "at least 1" })]
    [InlineData("catalogue:\n  globals: [g]\n  defs:\n    - {name: d, style: single-phase, m_size: -1, globals: g, colour: red}\n  modules: []\n",
        new[] { ":4:62", "unknown key 'colour' in def 'd'", "name, style, m_size, globals, per_interpreter_gil, values" })]
    [InlineData("catalogue:\n  globals: [g]\n  defs:\n    - {name: d, style: singlephase, m_size: -1, globals: g}\n  modules: []\n",
        new[] { "'style' of def 'd' is 'singlephase'", "Did you mean 'single-phase'?" })]
    [InlineData("catalogue:\n  globals: [g]\n  defs:\n    - {name: d, style: single-phase, m_size: -1, globals: g}\n  modules:\n    - {name: m, def: e, origin: builtin}\n",
        new[] { ":6:22", "names the def 'e'", "Declared defs: d" })]
    [InlineData("catalogue:\n  globals: [g]\n  defs:\n    - {name: d, style: single-phase, m_size: -1, globals: g}\n  modules:\n    - {name: m, def: d, origin: dynamic}\n",
        new[] { "inconsistent", "dynamic module 'm' needs a path" })]
    public void A_bad_spec_exits_2_naming_the_place_and_the_valid_choices(string content, string[] fragments)
    {
        var spec = CliRunner.TempFile("spec.yaml", content);
        var trace = CliRunner.TempFile("t.yaml", "- {op: finalize}\n");
        var r = CliRunner.Run("replay", trace, "--semantics", "cpython-3.12", "--spec", spec);
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: " + spec, r.Err);
        foreach (var f in fragments) Assert.Contains(f, r.Err);
    }

    [Fact]
    public void A_trace_may_name_its_spec_relative_to_itself()
    {
        var trace = CliRunner.TempFile("t.yaml", "semantics: cpython-3.12\nspec: spec.yaml\nsteps:\n  - {op: new_interp, I: 1, mode: legacy}\n");
        File.WriteAllText(Path.Combine(Path.GetDirectoryName(trace)!, "spec.yaml"), "slots: 5\n");
        var r = CliRunner.Run("replay", trace);
        Assert.Equal(0, r.Code);
        Assert.Contains("5 subinterpreter slots", r.Out);
        _ = Assert.Throws<InputException>(() => SpecParser.ParseText("slots: two\n", "s.yaml"));
    }
}
