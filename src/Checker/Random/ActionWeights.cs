using System.Globalization;

namespace Verify.Checker.Random;

/// <summary>
/// How often a random run picks each kind of action (trace-format op). At every step a kind is chosen among the
/// kinds with at least one enabled action, in proportion to its weight, then one of that kind's enabled actions
/// uniformly. Choosing the kind first keeps a kind with many instances (there is an import per interpreter and
/// module) from crowding out one with few (there is one finalize). A weight of 0 removes the kind.
/// </summary>
public sealed class ActionWeights
{
    private readonly Dictionary<string, double> byOp;

    private ActionWeights(Dictionary<string, double> byOp) => this.byOp = byOp;

    /// <summary>
    /// Imports drive every bug, so they come most often; interpreters come and go often enough that a run of 40
    /// steps usually creates and ends one; finalize, which ends a run, is rare (about one step in 40 with every op),
    /// so that runs are long enough to reach the multi-step sequences. Swarm mode varies the mix from run to run.
    /// </summary>
    public static ActionWeights Default { get; } = new(new Dictionary<string, double>
    {
        ["new_interp"] = 2,
        ["end_interp"] = 1,
        ["import"] = 4,
        ["del_sys_modules"] = 2,
        ["reload"] = 1,
        ["reload_spec"] = 1,
        ["clear_extension"] = 1,
        ["set_attr"] = 1,
        ["finalize"] = 0.3,
    });

    public double Of(string op) => byOp.TryGetValue(op, out var w) ? w : 0;

    /// <summary>These weights with some replaced (ops a spec names).</summary>
    public ActionWeights With(IEnumerable<KeyValuePair<string, double>> changes)
    {
        var copy = new Dictionary<string, double>(byOp);
        foreach (var (op, w) in changes)
        {
            if (!(w >= 0 && double.IsFinite(w))) throw new ArgumentOutOfRangeException(nameof(changes), $"weight of {op} must be a finite number >= 0, not {w}");
            copy[op] = w;
        }
        return new ActionWeights(copy);
    }

    /// <summary>For reports: <c>import 4, new_interp 2, ...</c> in trace-format op order.</summary>
    public string Describe(IEnumerable<string> ops) =>
        string.Join(", ", ops.Select(op => $"{op} {Of(op).ToString("0.###", CultureInfo.InvariantCulture)}"));
}
