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
            Assert.Equal(known.Step, divergence!.Step);
            Assert.Contains(divergence.Fields, f => f.Field == known.Field);
            return;
        }
        Assert.True(divergence is null, divergence is null ? "" :
            $"{file} under {semantics}: step {divergence.Step} ({divergence.Action}): " +
            string.Join("; ", divergence.Fields.Select(f => $"{f.Field}: model {f.Model}, cpython {f.Cpython}")));
    }

    [Fact]
    public void Every_version_has_a_recorded_suite_covering_the_documents_sequences()
    {
        var files = Directory.GetFiles(Folder, "*.observed.json").Select(Path.GetFileName).ToList();
        foreach (var v in new[] { "3.10.13", "3.11.7", "3.12.1", "3.13.0" })
        {
            var mine = files.Where(f => f!.Contains($".cpython-{v}.probe.")).ToList();
            // D2, D3, S1, S1' apply to every version; 3.12+ adds D2 with override, D4, S2 and T13.
            Assert.True(mine.Count >= (v.StartsWith("3.1") && string.CompareOrdinal(v, "3.12") >= 0 ? 13 : 9), $"{v}: {mine.Count} recorded");
            foreach (var seq in new[] { "d2-rename", "d3-teardown-clears-foreign", "s1-shallow-copy", "s1-prime-dead-owner" })
                Assert.Contains(mine, f => f!.StartsWith(seq + ".cpython-"));
        }
    }
}
