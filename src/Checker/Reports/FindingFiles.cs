using System.Text;
using System.Text.Json.Nodes;
using Verify.Checker.Explore;
using Verify.Checker.Replay;
using Verify.Checker.Specs;
using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Reports;

/// <summary>
/// The files a check writes for one finding: the trace in the trace format (it replays with
/// <c>verify replay FILE</c>: it names its semantics and, for a spec on disk, the spec relative to itself) and a
/// Markdown report of each step's action, events (the finding's event marked), changes and the finding.
/// </summary>
internal static class FindingFiles
{
    public static string TraceName(string property) => property + ".trace.json";
    public static string ReportName(string property) => property + ".md";

    /// <summary>Writes a check's finding under <c>OUT/SEMANTICS/</c> and returns the paths relative to <paramref name="outDir"/>.</summary>
    public static SavedFinding Save(string outDir, SpecFile spec, ExploreResult result, PropertyVerdict v) =>
        Save(outDir, "", spec, result.Config, v, new FoundBy(
            $"verify check on {spec.Source}, shortest trace: {CheckWords.Steps(v.Trace!.Length)}",
            $"Shortest trace: {CheckWords.Steps(v.Trace!.Length)}, found by `verify check` on {spec.Source}"));

    /// <summary>Writes both files under <c>OUT/SUBDIR/SEMANTICS/</c> and returns their paths relative to <paramref name="outDir"/>.</summary>
    /// <param name="subdir">"" for check's files; another command's own folder (such as "random") otherwise</param>
    public static SavedFinding Save(string outDir, string subdir, SpecFile spec, Configuration config, PropertyVerdict v, FoundBy foundBy)
    {
        var semantics = config.Semantics.Name;
        var relative = subdir == "" ? semantics : $"{subdir}/{semantics}";
        var dir = Path.Combine(outDir, relative);
        Directory.CreateDirectory(dir);
        var trace = ToTrace(spec, config, v, dir, foundBy);
        var tracePath = Path.Combine(dir, TraceName(v.Property.Name));
        TraceWriter.Write(trace, tracePath);
        AtomicFile.WriteAllText(Path.Combine(dir, ReportName(v.Property.Name)), Markdown(spec, config, v, tracePath, foundBy));
        return new SavedFinding($"{relative}/{TraceName(v.Property.Name)}", $"{relative}/{ReportName(v.Property.Name)}");
    }

    /// <summary>The counterexample as a trace whose metadata says what it shows and where it came from.</summary>
    public static Trace ToTrace(SpecFile spec, Configuration config, PropertyVerdict v, string traceDir, FoundBy foundBy)
    {
        var cx = v.Trace!;
        var meta = new List<KeyValuePair<string, JsonNode?>>
        {
            new("description", $"{v.Property.Name} {Word(v)} under {config.Semantics.Name} ({foundBy.Short}): {cx.Finding.Message}"),
            new("semantics", config.Semantics.Name),
        };
        // A spec on disk is named relative to the trace, as replay resolves it; the built-in spec's catalogue is
        // replay's default, and its slot kinds only narrow what the trace may do, so the trace needs no spec.
        if (spec.FilePath is { } file)
            meta.Add(new("spec", Path.GetRelativePath(Path.GetFullPath(traceDir), Path.GetFullPath(file)).Replace('\\', '/')));
        meta.Add(new("property", v.Property.Name));
        meta.Add(new("finding", cx.Finding.Message));
        return new Trace($"{config.Semantics.Name} {v.Property.Name}", cx.Steps.Select(a => TraceBinder.ToStep(a, config.Catalogue)).ToList(), meta);
    }

    private static string Word(PropertyVerdict v) => v.Verdict == Verdict.Witnessed ? "witnessed" : "violated";

    public static string Markdown(SpecFile spec, Configuration config, PropertyVerdict v, string tracePath, FoundBy foundBy)
    {
        var cx = v.Trace!;
        var cat = config.Catalogue;
        var md = new StringBuilder();
        var p = v.Property;
        md.Append($"# {p.Name}: {Word(v)} under {config.Semantics.Name}\n\n");
        md.Append($"**Property** ({CheckWords.Kind(p.Kind)}): {p.Statement}\n\n");
        var at = cx.Length == 0 ? "in the initial state"
            : $"at step {cx.Length}" + (cx.Finding.EventIndex >= 0 ? $", event {cx.Finding.EventIndex + 1}" : "");
        md.Append($"**Finding** {at}: `{cx.Finding.Message}`\n\n");
        md.Append($"{foundBy.Sentence} " +
                  $"(main and {config.Slots} subinterpreter slot{(config.Slots == 1 ? "" : "s")}: {string.Join(", ", config.SlotKinds.Select(k => k.Text))}).\n\n");
        var specArg = spec.FilePath is { } f ? $" --spec {f}" : "";
        md.Append($"Replay it: `verify replay {tracePath} --semantics {config.Semantics.Name}{specArg}`\n");

        var before = config.Initial();
        for (var k = 0; k < cx.Transitions.Count; k++)
        {
            var t = cx.Transitions[k];
            var last = k == cx.Transitions.Count - 1;
            md.Append($"\n## Step {k + 1}: {ActionText.Describe(t.Action, cat)}\n\n");
            md.Append($"Trace step: `{TraceWriter.StepJson(TraceBinder.ToStep(t.Action, cat))}`\n\n");
            md.Append($"Outcome: `{t.Outcome}`\n\n");
            if (t.Events.Count == 0) md.Append("Events: none\n");
            else
            {
                md.Append("Events:\n\n");
                for (var e = 0; e < t.Events.Count; e++)
                {
                    var text = EventText.Describe(t.Events[e], cat);
                    md.Append(last && e == cx.Finding.EventIndex
                        ? $"{e + 1}. **`{text}`** \u2190 **the finding**\n"
                        : $"{e + 1}. `{text}`\n");
                }
            }
            var changes = StateDiff.Lines(before, t, cat);
            md.Append(changes.Count == 0 ? "\nWhat changed: nothing\n" : "\nWhat changed:\n\n");
            foreach (var c in changes) md.Append($"- `{c}`\n");
            if (last) md.Append($"\n**Finding:** `{cx.Finding.Message}`\n");
            before = t.State;
        }
        if (cx.Transitions.Count == 0)
            md.Append($"\nThe initial state (main alive with its core modules) already shows it: `{cx.Finding.Message}`\n");
        return md.ToString();
    }
}

/// <summary>How a finding was found, for its files: a phrase for the trace's description and a sentence for the report.</summary>
internal sealed record FoundBy(string Short, string Sentence);
