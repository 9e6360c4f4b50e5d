using FsCheck;
using FsCheck.Fluent;
using Verify.Checker.Explore;
using Verify.Checker.Random;
using Verify.Checker.Reports;
using Verify.Checker.Specs;
using Verify.Model;
using Verify.Properties;
using Verify.Tests.FsCheckSupport;
using Xunit;
using Property = Verify.Properties.Property;

namespace Verify.Tests.Random;

/// <summary>
/// The CI property suite: for every semantics and every property of the default spec, an FsCheck property over
/// random runs with the verdict the semantics document (cpython-semantics.md) predicts. A property expected to hold
/// must hold on every run; one expected to be violated (or witnessed) must be falsified, and its counterexample,
/// shrunk, must still show it. The seed is fixed under CI=true and comes from VERIFY_SEED locally (PropertyCheck);
/// a failure names the replay command of the shrunk trace it saved.
/// </summary>
public sealed class IsolationSuiteTests
{
    public enum Expect { Holds, Violated, Witnessed }

    public static TheoryData<string, string, Expect, string> Cells => new()
    {
        { "cpython-3.11", "no-cross-interpreter-decref", Expect.Violated, "D1 (3.1): creating a subinterpreter fixes up its sys and decrefs main's m_copy(sys)" },
        { "cpython-3.11", "no-foreign-free", Expect.Holds, "3: before 3.12 every interpreter uses main's obmalloc, so a foreign decref frees under the right allocator" },
        { "cpython-3.11", "importer-owns-module-dict", Expect.Violated, "S1 (3.2): PyDict_Update from main's m_copy puts main's objects in the subinterpreter's dict (O1)" },
        { "cpython-3.11", "no-dead-owner", Expect.Violated, "S1 continued (3.2): A's objects survive in main's dict after A is destroyed" },
        { "cpython-3.11", "m-copy-owner-alive", Expect.Violated, "S1' (3.2): after J's del+re-import the copy fills MBI, so destroy(J) leaves J's m_copy cached" },
        { "cpython-3.11", "init-once-per-process", Expect.Violated, "T5 (2.1): the rename misses the cache and runs the init again (O5: count 2)" },
        { "cpython-3.11", "look-up-self-consistent", Expect.Violated, "T5 (2.1) and O10: a rename or re-import repoints MBI, so PyState_FindModule returns a module sys.modules no longer holds" },
        { "cpython-3.11", "no-leak-after-finalize", Expect.Violated, "T12 (2.1): finalize_modules drops m_copy only for init-created modules still in MBI[main]" },
        { "cpython-3.11", "refcounts-exact", Expect.Holds, "the model's own sanity: every reference it creates or drops is counted" },
        { "cpython-3.11", "subinterpreter-imports-legacy-module", Expect.Witnessed, "O1: legacy subinterpreters import single-phase modules in every version" },
        { "cpython-3.11", "subinterpreter-ends", Expect.Witnessed, "T11: Py_EndInterpreter ends a subinterpreter holding its modules" },

        { "cpython-3.12", "no-cross-interpreter-decref", Expect.Violated, "D2 and D4 (3.1): a rename import or clear_extension in a subinterpreter decrefs main's m_copy" },
        { "cpython-3.12", "no-foreign-free", Expect.Violated, "D2 verified crash / O20: with an isolated interpreter and the override the fix-up frees main's dict under the wrong obmalloc" },
        { "cpython-3.12", "importer-owns-module-dict", Expect.Violated, "S1 (3.2), as in 3.10/3.11" },
        { "cpython-3.12", "no-dead-owner", Expect.Violated, "S1 continued (3.2): 3.12.1 segfaults at exit on a dead subinterpreter's objects (O9)" },
        { "cpython-3.12", "m-copy-owner-alive", Expect.Violated, "S1' (3.2), as in 3.10/3.11" },
        { "cpython-3.12", "init-once-per-process", Expect.Violated, "T5 and O5: the rename runs the init again" },
        { "cpython-3.12", "look-up-self-consistent", Expect.Violated, "O10: look_up_self() follows the latest module per def" },
        { "cpython-3.12", "no-leak-after-finalize", Expect.Violated, "T12 (2.2): m_copy is cleared only through main's finalize_modules (T11 logic)" },
        { "cpython-3.12", "refcounts-exact", Expect.Holds, "the model's own sanity" },
        { "cpython-3.12", "subinterpreter-imports-legacy-module", Expect.Witnessed, "O1" },
        { "cpython-3.12", "subinterpreter-ends", Expect.Witnessed, "T11" },

        { "cpython-3.13", "no-cross-interpreter-decref", Expect.Violated, "S3 and T11 (2.3): a subinterpreter's copy modules hold main-owned values that it decrefs" },
        { "cpython-3.13", "no-foreign-free", Expect.Violated, "the 3.13 cache dance (specs/evidence/dance-313-foreign-free.py): aborts on 3.13.0 with 'free(): invalid pointer'" },
        { "cpython-3.13", "importer-owns-module-dict", Expect.Violated, "S3 (3.2): every subinterpreter copy module holds main-owned objects (O2, O6)" },
        { "cpython-3.13", "no-dead-owner", Expect.Holds, "S3: the init runs only in main, whose objects cannot die before a subinterpreter ends" },
        { "cpython-3.13", "m-copy-owner-alive", Expect.Holds, "O7 and T11 (2.3): m_copy is made by main and ending a subinterpreter never touches it" },
        { "cpython-3.13", "init-once-per-process", Expect.Violated, "O5: the rename runs the init again, in main" },
        { "cpython-3.13", "look-up-self-consistent", Expect.Violated, "O10: look_up_self() follows the latest module per def" },
        { "cpython-3.13", "no-leak-after-finalize", Expect.Holds, "T12 (2.3): the cache records' destructors drop every remaining m_copy" },
        { "cpython-3.13", "refcounts-exact", Expect.Holds, "the model's own sanity" },
        { "cpython-3.13", "subinterpreter-imports-legacy-module", Expect.Witnessed, "O1" },
        { "cpython-3.13", "subinterpreter-ends", Expect.Witnessed, "T11" },
    };

    [Fact]
    public void The_suite_covers_every_release_and_every_property()
    {
        var cells = Cells.Select(row => (row.Data.Item1, row.Data.Item2)).ToHashSet();
        // The fix strategies' cells are specs/expectations.yaml's (tests/Compare), checked exhaustively.
        foreach (var s in SemanticsRegistry.Releases)
            foreach (var p in IsolationProperties.All)
                Assert.Contains((s.Name, p.Name), cells);
    }

    private const int Length = 40;

    /// <summary>
    /// The fix strategies' cells, from specs/expectations.yaml (each with its reason): random runs of 40 steps go far past
    /// compare's depth bound of 7, so a strategy that holds only near the initial state fails here.
    /// </summary>
    public static TheoryData<string, string, Expect, string> StrategyCells()
    {
        var data = new TheoryData<string, string, Expect, string>();
        var expectations = Verify.Checker.Compare.Expectations.Load(Verify.Tests.Checker.CliRunner.Spec("expectations.yaml"));
        foreach (var c in expectations.Cells.Where(c => SemanticsRegistry.Find(c.Semantics)!.IsFixStrategy))
            data.Add(c.Semantics, c.Property, c.Verdict switch { "holds" => Expect.Holds, "violated" => Expect.Violated, _ => Expect.Witnessed }, c.Reason);
        return data;
    }

    [Theory, MemberData(nameof(Cells)), MemberData(nameof(StrategyCells))]
    public void Random_runs_give_the_documented_verdict(string semantics, string property, Expect expect, string reason)
    {
        var spec = SpecFile.BuiltInCheckDefault();
        var config = spec.ConfigurationFor(SemanticsRegistry.Find(semantics)!);
        var p = IsolationProperties.Find(property)!;
        var runs = Arb.From(TraceGenerator.Runs(config, spec.Random.Weights, Length, spec.Random.Swarm));

        if (expect == Expect.Holds)
        {
            PropertyCheck.Run(Prop.ForAll(runs, run =>
            {
                if (TraceJudge.FirstFinding(config, p, run.Actions) is null) return;
                // A violation of a property the document says holds: save the shrunk trace and say how to replay it.
                var shrunk = new Shrinker(config, p).Shrink(run.Actions).Trace;
                var dir = Path.Combine(Path.GetTempPath(), "verify-tests", "suite", Guid.NewGuid().ToString("N"));
                var saved = FindingFiles.Save(dir, "", spec, config, new PropertyVerdict(p, Verdict.Violated, shrunk),
                    new FoundBy("a random run of the CI property suite", "Found by the CI property suite (IsolationSuiteTests)"));
                throw new InvalidOperationException(
                    $"{property} is violated under {semantics}, though expected to hold ({reason}): {shrunk.Finding.Message}\n" +
                    $"shrunk trace ({shrunk.Length} steps): {R.Text(config, shrunk.Steps)}\n" +
                    $"replay: verify replay {Path.Combine(dir, saved.Trace)}");
            }), runs: 300);
            return;
        }

        Model.Action[]? failing = null;
        PropertyCheck.ExpectFalsified(Prop.ForAll(runs, run =>
        {
            var shows = TraceJudge.FirstFinding(config, p, run.Actions) is not null;
            if (shows) failing ??= [.. run.Actions];
            return !shows;
        }), runs: 3000, $"{property} {(expect == Expect.Violated ? "violated" : "witnessed")} under {semantics}: {reason}");

        // FsCheck's counterexample, shrunk by Verify's shrinker, still shows the finding and replays as written.
        Assert.NotNull(failing);
        var cx = new Shrinker(config, p).Shrink(failing).Trace;
        R.StrictReplay(config, cx.Steps);
        Assert.True(R.Shows(config, p, cx.Steps));
        Assert.True(cx.Length <= failing.Length);
    }
}
