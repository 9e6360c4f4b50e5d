using System.Text.Json.Nodes;
using Verify.Checker.Random;
using Verify.Checker.Specs;
using Verify.Checker.Traces;
using Verify.Model;

namespace Verify.Checker.Conformance;

/// <summary>One random trace for <c>verify conform --random</c>: which run of the seed drew it, and that run's own seed.</summary>
internal sealed record RandomTrace(int Run, ulong RunSeed, Trace Trace);

/// <summary>
/// Random traces for conformance, drawn by the random explorer's generator (<see cref="TraceGenerator"/>) on a spec's
/// configuration under the semantics the CPython version is compared with. Every trace is valid on that configuration
/// by construction, so a version never gets a step it cannot take (no isolated modes or <c>clear_extension</c> on
/// 3.10/3.11: the semantics disables them). Run <c>k</c> is drawn from <see cref="RandomSearch.RunSeed"/>, exactly as
/// <c>verify random</c> draws it, so a run seed identifies one trace on one configuration.
/// </summary>
internal static class RandomTraces
{
    /// <summary>
    /// Steps per random trace unless the spec's <c>random.length</c> or <c>--length</c> says otherwise. Shorter than
    /// <c>verify random</c>'s 40: each step costs CPython a collection and an observation in every live interpreter,
    /// and the documented sequences are at most 6 steps long.
    /// </summary>
    public const int DefaultLength = 15;

    public static IReadOnlyList<RandomTrace> Draw(SpecFile spec, Semantics semantics, ulong seed, int count, int length)
    {
        var config = spec.ConfigurationFor(semantics);
        var plans = TraceGenerator.Plans(config, spec.Random.Weights, length, spec.Random.Swarm);
        var traces = new List<RandomTrace>(count);
        for (var k = 0; k < count; k++)
        {
            var runSeed = RandomSearch.RunSeed(seed, k);
            var run = TraceGenerator.Play(config, spec.Random.Weights, TraceGenerator.Draw(plans, runSeed, length));
            var steps = run.Actions.Select(a => TraceBinder.ToStep(a, config.Catalogue)).ToList();
            traces.Add(new RandomTrace(k, runSeed, new Trace($"random run {k + 1} (run seed {runSeed})", steps)));
        }
        return traces;
    }

    /// <summary>
    /// The modules of the spec's catalogue (core modules aside) that the backend cannot load; a random run over them
    /// could not be compared, so the command refuses such a spec up front.
    /// </summary>
    public static IReadOnlyList<string> Unprovided(SpecFile spec, IReadOnlyList<string> provided) =>
        spec.Catalogue.Modules.Where(m => m.Origin != Origin.Core && !provided.Contains(m.Name)).Select(m => m.Name).ToList();

    /// <summary>
    /// Writes a disagreeing random trace where <c>verify conform --python V FILE</c> re-runs it: the steps, the semantics
    /// it was compared with, and where it came from and first diverged, in the description.
    /// </summary>
    public static string Save(string folder, RandomTrace t, string semantics, string origin, Divergence? d)
    {
        Directory.CreateDirectory(folder);
        var where = d is null ? "" : d.Step is { } k ? $"; first divergence at step {k} ({d.Action})" : $"; first divergence at {d.Action}";
        var meta = new List<KeyValuePair<string, JsonNode?>>
        {
            new("description", $"{origin}, run {t.Run + 1} (run seed {t.RunSeed}){where}"),
            new("semantics", semantics),
            new("run", t.Run + 1),
            new("run_seed", t.RunSeed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        var path = Path.Combine(folder, $"run{t.Run + 1}-seed{t.RunSeed}.trace.json");
        var tmp = path + ".tmp";
        TraceWriter.Write(t.Trace with { Metadata = meta }, tmp);
        File.Move(tmp, path, overwrite: true);
        return path;
    }
}
