using Verify.Checker.Conformance;
using Xunit;

namespace Verify.Tests.Conformance;

/// <summary>
/// The recorded suites of specs/conformance/ (observations of real CPython runs, written by
/// <c>verify conform --record</c>) replayed against the model: fast, no CPython needed.
/// </summary>
public class RecordedSuiteTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "specs", "conformance");

    /// <summary>
    /// Disagreements found on real CPython and not (yet) explained by the semantics document, each pinned to the
    /// exact step and field where it shows, so that a change on either side makes this test speak up.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (int Step, string Field)> Known = new Dictionary<string, (int, string)>
    {
    };

    public static TheoryData<string> Recorded()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Folder, "*" + Verify.Checker.Conformance.Recorded.Suffix).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Recorded))]
    public void The_model_predicts_the_recorded_observations(string file)
    {
        var (divergence, semantics, _) = Verify.Checker.Conformance.Recorded.CompareWithModel(Path.Combine(Folder, file));
        if (file.Contains(".stdlib.") && divergence is not null)
        {
            // CPython's _testsinglephase crashing on its own C globals (docs/conformance.md): the runner must explain it.
            var (_, _, traceFile, _) = Verify.Checker.Conformance.Recorded.Read(Path.Combine(Folder, file));
            var trace = Verify.Checker.Traces.TraceParser.ParseFile(Path.Combine(Folder, traceFile));
            var (model, _) = ConformanceRunner.Model(trace, Verify.Checker.Commands.ReplaySetup.FindSemantics(semantics));
            if (ConformanceRunner.StdlibStateCrash(model!, divergence) is not null) return;
        }
        if (Known.TryGetValue(file, out var known))
        {
            Assert.True(divergence is not null, $"{file}: the known disagreement is gone: update {nameof(Known)} and the report");
            Assert.Equal(known.Step, divergence!.Step ?? 0);
            Assert.Contains(divergence.Fields, f => f.Field == known.Field);
            return;
        }
        Assert.True(divergence is null, divergence is null ? "" :
            $"{file} under {semantics}: step {divergence.Step} ({divergence.Action}): " +
            string.Join("; ", divergence.Fields.Select(f => $"{f.Field}: model {f.Model}, cpython {f.Cpython}")));
    }

    /// <summary>
    /// Which recorded trace covers each transition and sequence of the semantics document, and from which version on it
    /// applies (T10, T13, D4 and S2 need 3.12's clear_extension or isolated interpreters; D1 is 3.10/3.11's bug, recorded
    /// on every version to show it gone).
    /// </summary>
    public static TheoryData<string, string, string> Coverage() => new()
    {
        { "T1", "d2-rename", "3.10" }, { "T2", "s1-prime-dead-owner", "3.10" }, { "T3", "s1-shallow-copy", "3.10" },
        { "T4", "t4-reload", "3.10" }, { "T4b", "t4-reload", "3.10" }, { "T5", "d2-rename", "3.10" },
        { "T5b", "t5b-basic-copy", "3.10" }, { "T6", "t6-reinit-subfirst", "3.10" }, { "T7", "t7-multiphase", "3.10" },
        { "T8", "t8-builtin-legacy", "3.10" }, { "T8 isolated (O19)", "t8-builtin", "3.12" }, { "T9", "d1-core-sys", "3.10" },
        { "T10", "d4-clear-extension", "3.12" }, { "T10 then T2 (record index)", "t10-stale-record-index", "3.12" },
        { "T11", "d3-teardown-clears-foreign", "3.10" }, { "T12", "t12-finalize", "3.10" }, { "T12 order (3.13)", "t12-313-fini-order", "3.12" },
        { "T13", "t13-isolated-check", "3.12" }, { "T14", "t14-optout", "3.10" },
        { "D1", "d1-core-sys", "3.10" }, { "D2", "d2-rename", "3.10" }, { "D2 override (O20)", "d2-rename-isolated-override", "3.12" },
        { "D3", "d3-teardown-clears-foreign", "3.10" }, { "D4", "d4-clear-extension", "3.12" },
        { "S1", "s1-shallow-copy", "3.10" }, { "S1'", "s1-prime-dead-owner", "3.10" }, { "S2", "s2-isolated-exit-abort", "3.12" },
        { "S3", "s3-313-main-owned", "3.10" },
    };

    [Theory]
    [MemberData(nameof(Coverage))]
    public void Every_transition_and_sequence_is_recorded_on_every_version_it_applies_to(string what, string trace, string from)
    {
        var files = Directory.GetFiles(Folder, "*.observed.json").Select(f => Path.GetFileName(f)!).ToList();
        foreach (var v in new[] { "3.10.13", "3.11.7", "3.12.1", "3.13.0" })
        {
            if (new Version(v) < new Version(from)) continue;
            Assert.True(files.Contains($"{trace}.cpython-{v}.probe.observed.json"), $"{what}: {trace} is not recorded from CPython {v} (probe)");
        }
    }
}
