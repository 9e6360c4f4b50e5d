using Verify.Checker;
using Verify.Checker.Traces;
using Verify.Model;
using Xunit;

namespace Verify.Tests.Checker;

public class TraceParsingTests
{
    private static readonly Catalogue Cat = DefaultCatalogue.Create();

    [Fact]
    public void Json_list_of_steps_binds_to_actions()
    {
        var trace = TraceParser.ParseText("""
            [
              {"op": "import", "I": 0, "mod": "_testsinglephase"},
              {"op": "new_interp", "I": 1, "mode": "isolated-override"},
              {"op": "reload_spec", "I": 1, "mod": "_testsinglephase_basic_wrapper"},
              {"op": "end_interp", "I": 1},
              {"op": "finalize"}
            ]
            """, "t.json");
        var actions = TraceBinder.Bind(trace, Cat);
        Assert.Equal<Verify.Model.Action>(
        [
            new Import(0, Cat.ModuleIndex("_testsinglephase")),
            new NewInterp(1, InterpKind.IsolatedOverride),
            new ReloadSpec(1, Cat.ModuleIndex("_testsinglephase_basic_wrapper")),
            new EndInterp(1),
            new Finalization(),
        ], actions);
        Assert.Equal((2, 3), (trace.Steps[0].Line, trace.Steps[0].Column));
        Assert.Equal(3, trace.Steps[1].Line);
    }

    [Fact]
    public void Yaml_list_of_steps_binds_every_module_op()
    {
        var trace = TraceParser.ParseText("""
            - op: new_interp
              I: 2
              mode: legacy
            - {op: import, I: 2, mod: _testsinglephase}
            - {op: set_attr, I: 2, mod: _testsinglephase}
            - {op: reload, I: 2, mod: _testsinglephase}
            - {op: del_sys_modules, I: 2, mod: _testsinglephase}
            - {op: clear_extension, I: 0, mod: _testsinglephase}
            """, "t.yaml");
        var m = Cat.ModuleIndex("_testsinglephase");
        Assert.Equal<Verify.Model.Action>(
        [
            new NewInterp(2, InterpKind.Legacy), new Import(2, m), new SetAttr(2, m), new Reload(2, m),
            new DelSysModules(2, m), new ClearExtension(0, m),
        ], TraceBinder.Bind(trace, Cat));
        Assert.Equal((1, 3), (trace.Steps[0].Line, trace.Steps[0].Column));
        Assert.Equal(4, trace.Steps[1].Line);
        Assert.Equal(2, trace.MaxInterpreter);
    }

    [Fact]
    public void Object_form_keeps_its_other_keys_and_they_survive_writing_back()
    {
        var trace = TraceParser.ParseText("""
            semantics: cpython-3.12
            description: a test
            extra: {n: 3, tags: [a, b]}
            steps:
              - {op: import, I: 0, mod: _testsinglephase}
              - {op: finalize}
            """, "t.yaml");
        Assert.Equal("cpython-3.12", trace.Semantics);
        Assert.Equal("a test", trace.Description);
        Assert.Equal(["semantics", "description", "extra"], trace.Metadata.Select(m => m.Key));

        var json = TraceWriter.ToJson(trace);
        Assert.Contains("{\"op\": \"import\", \"I\": 0, \"mod\": \"_testsinglephase\"}", json);
        var again = TraceParser.ParseText(json, "again.json");
        Assert.Equal(trace.Steps.Select(s => s with { Line = 0, Column = 0 }), again.Steps.Select(s => s with { Line = 0, Column = 0 }));
        Assert.Equal(trace.Metadata.Select(m => m.Key), again.Metadata.Select(m => m.Key));
        Assert.Equal(3L, (long)again.Metadata[2].Value!["n"]!);
    }

    [Fact]
    public void Actions_written_as_steps_read_back_as_the_same_actions()
    {
        var actions = Semantics.AllActions(2, Cat).ToList();
        var trace = new Trace("generated", actions.Select(a => TraceBinder.ToStep(a, Cat)).ToList());
        var parsed = TraceParser.ParseText(TraceWriter.ToJson(trace), "generated.json");
        Assert.Equal(actions, TraceBinder.Bind(parsed, Cat));
    }

    [Fact]
    public void Format_is_sniffed_when_the_extension_says_nothing()
    {
        var json = TraceParser.ParseText("[{\"op\": \"finalize\"}]", "trace.txt");
        var yaml = TraceParser.ParseText("- op: finalize\n", "trace.txt");
        Assert.Equal(TraceOps.Finalize, Assert.Single(json.Steps).Op);
        Assert.Equal(TraceOps.Finalize, Assert.Single(yaml.Steps).Op);
    }

    [Fact]
    public void A_quoted_interpreter_number_is_a_string_not_a_number()
    {
        var e = Assert.Throws<InputException>(() => TraceParser.ParseText("- {op: end_interp, I: \"1\"}\n", "t.yaml"));
        Assert.Contains("step 1", e.Message);
        Assert.Contains("the string '1'", e.Message);
    }
}
