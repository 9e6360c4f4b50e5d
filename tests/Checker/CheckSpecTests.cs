using Verify.Checker.Specs;
using Verify.Model;
using Verify.Properties;
using Xunit;

namespace Verify.Tests.Checker;

/// <summary>The spec fields of <c>verify check</c>: interpreters, semantics, properties, depth (docs/specs.md).</summary>
public class CheckSpecTests
{
    [Fact]
    public void The_default_spec_is_main_a_legacy_slot_and_an_isolated_slot_with_every_property_and_semantics()
    {
        var spec = SpecFile.BuiltInCheckDefault();
        Assert.Equal([SlotKind.Of(InterpKind.Legacy), SlotKind.Of(InterpKind.Isolated, InterpKind.IsolatedOverride)], spec.SlotKinds);
        Assert.Equal("legacy, [isolated, isolated-override]", spec.SlotText);
        Assert.Equal(IsolationProperties.All, spec.Properties);
        Assert.Equal(SemanticsRegistry.All, spec.Semantics);
        // The space is kept small (docs/specs.md): the m_size == -1 module and its alias, the core modules,
        // no attribute writes or spec re-loads, traces of up to 7 steps.
        Assert.Equal(7, spec.Depth);
        Assert.Equal(["_testsinglephase", "_testsinglephase_basic_wrapper", "sys", "builtins"], spec.Catalogue.Modules.Select(m => m.Name).ToArray());
        Assert.Equal(["new_interp", "end_interp", "import", "del_sys_modules", "clear_extension", "finalize"], Configuration.AllOperations.Where(spec.Operations!.Contains));
        // verify carries the very file of the repository.
        Assert.Equal(File.ReadAllText(CliRunner.Spec("default.yaml")), SpecFile.BuiltInText());
    }

    [Fact]
    public void Check_fields_resolve_names_and_aliases_in_registry_order()
    {
        var spec = SpecParser.ParseText("""
            interpreters:
              - any
              - isolated-override
              - [isolated-override, legacy]
            semantics: [cpython-main, cpython-3.10]
            properties: [no-foreign-free, no-cross-interpreter-decref]
            depth: 3
            """, "s.yaml");
        Assert.Equal([SlotKind.Any, SlotKind.Of(InterpKind.IsolatedOverride), SlotKind.Of(InterpKind.Legacy, InterpKind.IsolatedOverride)], spec.SlotKinds);
        Assert.True(spec.SlotsGiven);
        Assert.Equal(["cpython-3.11", "cpython-3.13"], spec.Semantics.Select(s => s.Name));
        Assert.Equal([IsolationProperties.NoCrossInterpreterDecref, IsolationProperties.NoForeignFree], spec.Properties);
        Assert.Equal(3, spec.Depth);

        var slots = SpecParser.ParseText("slots: 3\nproperties: all\nsemantics: all\n", "s.yaml");
        Assert.Equal(Enumerable.Repeat(SlotKind.Any, 3), slots.SlotKinds);
        Assert.Equal(IsolationProperties.All, slots.Properties);
    }

    [Theory]
    [InlineData("interpreters: 2\n", new[] { ":1:15", "'interpreters' of the spec must be a list", "write 'slots: N'" })]
    [InlineData("interpreters: [legacy, isolatd]\n", new[] { ":1:24", "slot 2 of 'interpreters' is 'isolatd'", "Did you mean 'isolated'?", "legacy, isolated, isolated-override, any" })]
    [InlineData("interpreters:\n  - legacy\n  - [isolated, any]\n", new[] { ":3:16", "slot 2 of 'interpreters' lists 'any'", "write 'any' alone" })]
    [InlineData("interpreters:\n  - [isolated, isolated]\n", new[] { ":2:16", "lists 'isolated' twice" })]
    [InlineData("interpreters:\n  - [isolated, legcy]\n", new[] { ":2:16", "lists 'legcy'", "Did you mean 'legacy'?" })]
    [InlineData("interpreters:\n  - []\n", new[] { ":2:5", "slot 1 of 'interpreters' is an empty list" })]
    [InlineData("interpreters:\n  - 3\n", new[] { ":2:5", "slot 1 of 'interpreters' must be a mode or a list of modes", "the number 3" })]
    [InlineData("interpreters: []\n", new[] { ":1:15", "lists no slot" })]
    [InlineData("slots: 2\ninterpreters: [legacy]\n", new[] { ":1:8", "'slots' and 'interpreters' both", "not both" })]
    [InlineData("semantics: [cpython-3.12, cpython-3.21]\n", new[] { ":1:27", "'semantics' of the spec names 'cpython-3.21'", "Did you mean", "cpython-3.13" })]
    [InlineData("semantics: [cpython-3.10, cpython-3.11]\n", new[] { ":1:27", "names cpython-3.11 twice", "'cpython-3.10' and 'cpython-3.11' are names of the same one" })]
    [InlineData("semantics: cpython-3.12\n", new[] { ":1:12", "list of semantics names or 'all'", "write [cpython-3.12]" })]
    [InlineData("semantics: [3.12]\n", new[] { ":1:13", "lists the number 3.12" })]
    [InlineData("properties: [no-foreign-fre]\n", new[] { ":1:14", "names 'no-foreign-fre'", "Did you mean 'no-foreign-free'?", "refcounts-exact" })]
    [InlineData("properties: []\n", new[] { ":1:13", "empty list", "'all'" })]
    [InlineData("depth: 0\n", new[] { ":1:8", "'depth' of the spec must be a positive integer", "the number 0" })]
    [InlineData("depth: deep\n", new[] { ":1:8", "'depth' of the spec must be a positive integer", "the string 'deep'" })]
    [InlineData("description: [a]\n", new[] { ":1:14", "'description' of the spec must be a string" })]
    public void A_bad_check_field_exits_2_naming_the_place_the_field_and_the_fix(string content, string[] fragments)
    {
        var spec = CliRunner.TempFile("spec.yaml", content);
        var r = CliRunner.Run("check", spec, "--out", CliRunner.TempDir());
        Assert.Equal(2, r.Code);
        Assert.StartsWith("error: " + spec, r.Err);
        Assert.Single(r.Err.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", r.Err);
        foreach (var f in fragments) Assert.Contains(f, r.Err);
    }

    [Fact]
    public void Replay_keeps_to_the_modes_a_spec_gives_each_slot()
    {
        var spec = CliRunner.TempFile("legacy.yaml", "interpreters: [legacy]\n");
        var isolated = CliRunner.TempFile("t.yaml", "- {op: new_interp, I: 1, mode: isolated}\n");
        var r = CliRunner.Run("replay", isolated, "-s", "cpython-3.12", "--spec", spec);
        Assert.Equal(2, r.Code);
        Assert.Contains("slot 1 is a legacy slot", r.Err);

        var legacy = CliRunner.TempFile("t.yaml", "- {op: new_interp, I: 1, mode: legacy}\n");
        Assert.Equal(0, CliRunner.Run("replay", legacy, "-s", "cpython-3.12", "--spec", spec).Code);
    }
}
