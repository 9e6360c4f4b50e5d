using FsCheck;
using FsCheck.Fluent;
using Verify.Tests.Checker;
using Verify.Tests.FsCheckSupport;
using Xunit;
using static Verify.Tests.Reliability.FuzzHarness;

namespace Verify.Tests.Reliability;

/// <summary>
/// The fuzzing suite of issue 8 (docs/reliability.md): thousands of malformed and adversarial specs, traces and
/// command lines through the real CLI. Valid inputs run with tiny bounds so that each case takes milliseconds.
/// </summary>
public static class FuzzCorpus
{
    /// <summary>Cases per input kind in CI (VERIFY_FSCHECK_RUNS changes it locally).</summary>
    public const int Cases = 5000;

    /// <summary>Valid specs to mutate: the repository's, and one that uses every key of the format.</summary>
    public static IReadOnlyList<(string Name, string Text)> Specs() =>
    [
        .. new[] { "default.yaml", "catalogue-example.yaml", "bench-depth4.yaml" }.Select(f => (f, File.ReadAllText(CliRunner.Spec(f)))),
        ("every-key.yaml", """
            description: every key of the format
            interpreters: [legacy, [isolated, isolated-override], any]
            semantics: [cpython-3.12, cpython-3.10]
            properties: [no-foreign-free, subinterpreter-ends]
            depth: 3
            modules: [_testsinglephase, _testsinglephase_basic_wrapper]
            operations: [new_interp, import, del_sys_modules, finalize]
            random: {runs: 5, length: 4, swarm: false, weights: {import: 4, finalize: 0.5, reload: 0}}
            """),
        ("slots.json", """{"slots": 2, "semantics": "all", "properties": "all", "depth": 2}"""),
    ];

    /// <summary>The expectations file to mutate (specs/expectations.yaml), and a small one.</summary>
    public static IReadOnlyList<(string Name, string Text)> Expectations() =>
    [
        ("expectations.yaml", File.ReadAllText(CliRunner.Spec("expectations.yaml"))),
        ("small.yaml", "cells:\n  cpython-3.11:\n    refcounts-exact: {verdict: holds, reason: \"the model's own sanity\"}\n"),
    ];

    /// <summary>Valid traces to mutate: the example traces and the conformance suite's.</summary>
    public static IReadOnlyList<(string Name, string Text)> Traces() =>
    [
        .. Directory.GetFiles(CliRunner.Spec("traces"), "*.yaml").Order(StringComparer.Ordinal).Select(f => ("traces/" + Path.GetFileName(f), File.ReadAllText(f))),
        .. Directory.GetFiles(CliRunner.Spec("conformance"), "*.yaml").Order(StringComparer.Ordinal).Select(f => ("conformance/" + Path.GetFileName(f), File.ReadAllText(f))),
        ("list.json", """[{"op": "new_interp", "I": 1, "mode": "isolated"}, {"op": "import", "I": 1, "mod": "_testsinglephase"}, {"op": "end_interp", "I": 1}, {"op": "finalize"}]"""),
    ];

}

/// <summary>Mutated specs through check, random and replay --spec (each kind of input is its own class, so they run in parallel).</summary>
public sealed class SpecFuzzTests
{
    [Fact]
    public void Specs()
    {
        using var scratch = new Scratch();
        var outDir = Path.Combine(scratch.Dir, "out");
        var finalize = CliRunner.TempFile("finalize.json", """[{"op": "finalize"}]""");
        var tally = new Tally();
        var cases = Mutations.Of(FuzzCorpus.Specs()).SelectMany(f => Gen.Choose(0, 2).Select(cmd => (File: f, Command: cmd)));
        PropertyCheck.Run(Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var path = scratch.Write(c.File);
            string[] args = c.Command switch
            {
                0 => ["check", path, "--depth", "1", "--max-states", "60", "--semantics", "cpython-3.12", "--out", outDir],
                1 => ["random", path, "--runs", "2", "--length", "3", "--seed", "1", "--shrinks", "1", "--semantics", "cpython-3.13", "--out", outDir],
                _ => ["replay", finalize, "--spec", path, "--semantics", "cpython-3.12"],
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var r = Run(args);
            tally.Time($"{c.File.Mutation.Split(' ')[0]} {args[0]}", clock.Elapsed);
            AssertHandled(r, args, tally);
            AssertFileMessage(r, args, path);
            if (c.File.Valid) AssertAccepted(r, args, tally);
        }), FuzzCorpus.Cases);
        TestContext.Current.TestOutputHelper?.WriteLine($"specs: {tally}\n{tally.Times()}");
    }

}

/// <summary>Mutated traces through replay.</summary>
public sealed class TraceFuzzTests
{
    [Fact]
    public void Traces()
    {
        using var scratch = new Scratch();
        var tally = new Tally();
        var semantics = Gen.Elements<string?>(null, "cpython-3.11", "cpython-3.12", "cpython-3.13", "cpython-3.13");
        var cases = Mutations.Of(FuzzCorpus.Traces()).SelectMany(f => semantics.SelectMany(s => Gen.Elements(false, true).Select(json => (File: f, Semantics: s, Json: json))));
        PropertyCheck.Run(Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var path = scratch.Write(c.File);
            // Every example trace runs under 3.13 (isolated modes and clear_extension exist there).
            var s = c.File.Valid ? "cpython-3.13" : c.Semantics;
            string[] args = ["replay", path, .. s is null ? Array.Empty<string>() : ["--semantics", s], .. c.Json ? ["--json"] : Array.Empty<string>()];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var r = Run(args);
            tally.Time(c.File.Mutation.Split(' ')[0], clock.Elapsed);
            AssertHandled(r, args, tally);
            AssertFileMessage(r, args, path);
            if (c.File.Valid) AssertAccepted(r, args, tally);
        }), FuzzCorpus.Cases);
        TestContext.Current.TestOutputHelper?.WriteLine($"traces: {tally}\n{tally.Times()}");
    }

}

/// <summary>Mutated expectations files through compare --expect.</summary>
public sealed class ExpectationsFuzzTests
{
    [Fact]
    public void Expectations()
    {
        using var scratch = new Scratch();
        var outDir = Path.Combine(scratch.Dir, "out");
        var tally = new Tally();
        PropertyCheck.Run(Prop.ForAll(Mutations.Of(FuzzCorpus.Expectations()).ToArbitrary(), f =>
        {
            var path = scratch.Write(f);
            // A one-step search of one release: the cells then disagree (exit 1) or the file is refused (exit 2).
            string[] args = ["compare", "--expect", path, "-s", "cpython-3.11", "--depth", "1", "--traces", "1", "--out", outDir];
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var r = Run(args);
            tally.Time(f.Mutation.Split(' ')[0], clock.Elapsed);
            AssertHandled(r, args, tally);
            AssertFileMessage(r, args, path);
            if (f.Valid) AssertAccepted(r, args, tally);
        }), FuzzCorpus.Cases);
        TestContext.Current.TestOutputHelper?.WriteLine($"expectations: {tally}\n{tally.Times()}");
    }
}

/// <summary>Generated command lines.</summary>
public sealed class ArgumentFuzzTests
{
    [Fact]
    public void Command_lines()
    {
        using var scratch = new Scratch();
        var dir = scratch.Dir;
        var files = new Arguments.Files(
            Spec: CliRunner.Spec("catalogue-example.yaml"),
            Trace: CliRunner.Spec("traces/d2-rename.yaml"),
            Empty: CliRunner.TempFile("empty.yaml", ""),
            Folder: dir,
            Out: Path.Combine(dir, "out"),
            Missing: Path.Combine(dir, "missing", "nothing.yaml"));
        var tally = new Tally();
        PropertyCheck.Run(Prop.ForAll(Arguments.CommandLine(files).ToArbitrary(), args =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var r = Run(args);
            tally.Time(args.Length > 0 ? args[0] : "(none)", clock.Elapsed);
            AssertHandled(r, args, tally);
            if (r.Code == 2)
                Assert.All(r.Err.TrimEnd('\n').Split('\n'), line =>
                    Assert.True(line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith("run 'verify --help'", StringComparison.Ordinal),
                        $"{Show(args)}: a line of the error is neither an error nor the usage hint: {r.Err}"));
        }), FuzzCorpus.Cases);
        TestContext.Current.TestOutputHelper?.WriteLine($"command lines: {tally}\n{tally.Times()}");
    }
}
