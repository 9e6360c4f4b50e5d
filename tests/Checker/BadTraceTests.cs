using Xunit;

namespace Verify.Tests.Checker;

/// <summary>
/// Every kind of bad trace ends with exit code 2 and one message that says where (file, step, line:col),
/// what is wrong (the offending value) and what would be right, never a stack trace.
/// </summary>
public class BadTraceTests
{
    public static TheoryData<string, string, string[]> Cases => new()
    {
        // file name, content, fragments the message must contain
        { "malformed.json", "[{\"op\": \"import\", \"I\": 0,, \"mod\": \"x\"}]", ["malformed JSON", ":1:"] },
        { "malformed.yaml", "- {op: import, I: 0\n- op: finalize\n", ["malformed YAML", ":2:"] },
        { "empty.yaml", "   \n", ["empty", "list of steps"] },
        { "comments-only.yaml", "# nothing here\n", ["empty"] },
        { "scalar.json", "42", ["must be a list of steps", "the number 42"] },
        { "no-steps.yaml", "semantics: cpython-3.12\n", ["no 'steps' key"] },
        { "step-not-object.yaml", "- {op: finalize}\n- import\n", ["step 2", ":2:3", "must be an object", "the string 'import'"] },
        { "unknown-op.yaml", "- {op: new_interp, I: 1, mode: legacy}\n- {op: improt, I: 1, mod: _testsinglephase}\n",
            ["step 2", ":2:8", "unknown op 'improt'", "Did you mean 'import'?", "new_interp, end_interp, import"] },
        { "no-op.json", "[{\"I\": 0, \"mod\": \"_testsinglephase\"}]", ["step 1", "no 'op'", "valid ops"] },
        { "missing-arg.yaml", "- {op: import, I: 0}\n", ["step 1", "needs the argument 'mod'", "\"mod\": <module name>"] },
        { "extra-arg.yaml", "- {op: end_interp, I: 1, mode: legacy}\n", ["step 1", "unexpected argument 'mode'", "takes 'I'"] },
        { "finalize-arg.json", "[{\"op\": \"finalize\", \"I\": 0}]", ["step 1", "unexpected argument 'I'", "takes no arguments"] },
        { "ill-typed-i.json", "[{\"op\": \"import\", \"I\": \"main\", \"mod\": \"_testsinglephase\"}]",
            ["step 1", ":1:24", "the string 'main'", "0 is main"] },
        { "negative-i.yaml", "- {op: end_interp, I: -1}\n", ["step 1", "the number -1", "interpreter number"] },
        { "unknown-mode.yaml", "- {op: new_interp, I: 1, mode: isolatd}\n",
            ["step 1", "unknown mode 'isolatd'", "Did you mean 'isolated'?", "legacy, isolated, isolated-override"] },
        { "unknown-module.yaml", "- {op: import, I: 0, mod: _testsinglephas}\n",
            ["step 1", "unknown module '_testsinglephas'", "Did you mean '_testsinglephase'?", "_testsinglephase_basic_wrapper"] },
        { "not-alive.yaml", "- {op: import, I: 0, mod: _testsinglephase}\n- {op: import, I: 1, mod: _testsinglephase}\n",
            ["step 2", ":2:3", "interpreter 1 is not alive", "new_interp"] },
        { "beyond-finalize.yaml", "- {op: finalize}\n- {op: import, I: 0, mod: _testsinglephase}\n",
            ["step 2", "finalized"] },
        { "not-imported.yaml", "- {op: reload, I: 0, mod: _testsinglephase}\n",
            ["step 1", "not in sys.modules of interpreter 0", "import it first"] },
        { "core-module.yaml", "- {op: del_sys_modules, I: 0, mod: sys}\n", ["step 1", "'sys' is a core module"] },
        { "duplicate-key.json", "[{\"op\": \"finalize\", \"op\": \"finalize\"}]", ["'op' appears twice"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_trace_exits_2_with_one_clear_message(string name, string content, string[] fragments)
    {
        var path = CliRunner.TempFile(name, content);
        var r = CliRunner.Run("replay", path, "--semantics", "cpython-3.12");

        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.StartsWith("error: " + path, r.Err);
        foreach (var f in fragments) Assert.Contains(f, r.Err);
        Assert.DoesNotContain("   at ", r.Err); // no stack trace
        Assert.Single(r.Err.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Isolated_mode_on_311_is_refused_at_replay_with_the_reason()
    {
        var path = CliRunner.TempFile("iso.yaml", "- {op: new_interp, I: 1, mode: isolated}\n");
        var r = CliRunner.Run("replay", path, "--semantics", "cpython-3.11");
        Assert.Equal(2, r.Code);
        Assert.Contains("step 1", r.Err);
        Assert.Contains("use mode legacy", r.Err);
    }

    [Fact]
    public void Missing_trace_file_is_bad_input()
    {
        var r = CliRunner.Run("replay", "/nonexistent/trace.yaml", "--semantics", "cpython-3.12");
        Assert.Equal(2, r.Code);
        Assert.Contains("cannot read the file", r.Err);
    }

    [Fact]
    public void Steps_after_a_crash_are_not_run_and_not_an_error()
    {
        // D2 with an isolated, overridden subinterpreter aborts in step 3 on 3.12 (exp4-c); step 4 follows a dead process.
        var path = CliRunner.TempFile("after-crash.yaml", """
            - {op: import, I: 0, mod: _testsinglephase}
            - {op: new_interp, I: 1, mode: isolated-override}
            - {op: import, I: 1, mod: _testsinglephase_basic_wrapper}
            - {op: import, I: 1, mod: _testsinglephase}
            """);
        var r = CliRunner.Run("replay", path, "--semantics", "cpython-3.12");
        Assert.Equal(0, r.Code);
        Assert.Contains("step 4: sub1: import _testsinglephase -> not run", r.Out);
    }
}
