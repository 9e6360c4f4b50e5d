using System.Diagnostics;
using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Checker.Symbolic.Z3;
using Verify.Model;
using Verify.Properties;
using Action = Verify.Model.Action;

namespace Verify.Checker.Symbolic;

/// <summary>
/// The symbolic engine's allocator. Each step has a region of slots: <see cref="InitBlocks"/> init blocks (dict, module,
/// list, type, function at fixed offsets), <see cref="CopyBlocks"/> copy blocks (dict, module) and
/// <see cref="LooseDicts"/> loose dicts. Every action starts again at the region's start (actions exclude each other, so
/// they share it); within an action each role takes its next place, and an init's values go into the block of its dict.
/// So a module's dict, a function's <c>__self__</c> and an init dict's values are one known slot each (or NULL).
/// </summary>
internal sealed class RegionSlots(int start) : ISlotAllocator
{
    /// <summary>The most inits one action runs (3.10/3.11 and 3.12's interpreter creation: sys and builtins).</summary>
    public const int InitBlocks = 2;
    /// <summary>The most copy modules one action's code can make (3.13's import: the hit branch and the miss branch each).</summary>
    public const int CopyBlocks = 2;
    /// <summary>The most <c>PyDict_Copy</c> calls of one action (two core dict copies or m_copies at creation).</summary>
    public const int LooseDicts = 2;

    public static int StepSize => InitBlocks * 5 + CopyBlocks * 2 + LooseDicts;

    private int inits = -1, copies = -1, loose = -1;

    public int Next(SlotRole role)
    {
        switch (role)
        {
            case SlotRole.InitDict:
                if (++inits >= InitBlocks) throw new SymbolicCapacityException($"one action runs more than {InitBlocks} inits");
                return start + inits * 5;
            case SlotRole.InitModule: return start + inits * 5 + 1;
            case SlotRole.InitList: return start + inits * 5 + 2;
            case SlotRole.InitType: return start + inits * 5 + 3;
            case SlotRole.InitFunc: return start + inits * 5 + 4;
            case SlotRole.CopyDict:
                if (++copies >= CopyBlocks) throw new SymbolicCapacityException($"one action makes more than {CopyBlocks} copy modules");
                return start + InitBlocks * 5 + copies * 2;
            case SlotRole.CopyModule: return start + InitBlocks * 5 + copies * 2 + 1;
            default:
                if (++loose >= LooseDicts) throw new SymbolicCapacityException($"one action copies more than {LooseDicts} dicts");
                return start + InitBlocks * 5 + CopyBlocks * 2 + loose;
        }
    }
}

/// <summary>A counterexample of the BMC engine that the explicit model does not confirm: a bug in Verify, reported as such.</summary>
public sealed class EngineDisagreementException(string message) : Exception(message);

/// <summary>
/// Bounded model checking (docs/symbolic.md): the transition function of <see cref="SymMachine{T}"/> unrolled K times
/// in Z3, one fresh set of state variables per step and one action variable per step; for each property and each depth
/// from 1 to K, "the property finds something at this step" is checked, so the first depth where Z3 answers sat is the
/// shortest counterexample. Its actions are replayed on the explicit model, which must find the same thing at the same
/// step and nothing earlier; otherwise <see cref="EngineDisagreementException"/>.
/// </summary>
public static class Bmc
{
    /// <summary>What is done once per depth, and what each query then runs (see the query loop).</summary>
    internal static readonly string[] PreprocessTactics = ["simplify"];
    internal static readonly string[] QueryTactics = ["bit-blast", "sat"];
    /// <summary>Each query's pipeline when the simplification leaves no single subgoal (it decided or split the formula).</summary>
    internal static readonly string[] FullTactics = ["simplify", "bit-blast", "sat"];

    /// <summary>VERIFY_BMC_DIAGNOSTICS=1: each solver check's answer and time on stderr.</summary>
    private static readonly bool Diagnostics = Environment.GetEnvironmentVariable("VERIFY_BMC_DIAGNOSTICS") == "1";

    /// <summary>Runs BMC on <paramref name="config"/> to <see cref="ExploreOptions.MaxDepth"/>, as <c>verify check</c>'s search.</summary>
    public static ExploreResult Run(Configuration config, ExploreOptions options) => Run(config, options, null);

    public static ExploreResult Run(Configuration config, ExploreOptions options, string? smt2Path)
    {
        var depth = options.MaxDepth ?? throw new InputException("--engine bmc needs a depth bound: give --depth K (or 'depth' in the spec)");
        if (SymSupport.Refusal(config, options.Properties) is { } refusal)
            throw new InputException($"--engine bmc cannot check this configuration under {config.Semantics.Name}: {refusal}. The explicit engine (the default) covers it");
        var version = SymVersion.For(config.Semantics)!;
        var clock = Stopwatch.StartNew();
        var cat = config.Catalogue;
        var properties = options.Properties;
        var found = new Dictionary<Property, Counterexample>();
        var stop = StopReason.DepthBound;
        var reached = 0;

        using var z3 = new Z3Context();
        using var cancel = options.Cancel.Register(z3.Interrupt);
        using var timer = options.MaxSeconds is { } secs ? new Timer(_ => z3.Interrupt(), null, TimeSpan.FromSeconds(secs), Timeout.InfiniteTimeSpan) : null;
        var alg = new Z3Algebra(z3);
        var assertions = new List<Term>();

        var initial = config.Initial();
        var capacity = initial.Heap.Count + depth * RegionSlots.StepSize;
        var indices = initial.IndexCounter + 2 + depth;
        if (capacity >= SymState<Z>.None)
            throw new InputException($"--depth {depth} is too deep for the BMC encoding's 8-bit object slots ({capacity} needed, at most {SymState<Z>.None - 1}): use a depth of at most {(SymState<Z>.None - 1 - initial.Heap.Count) / RegionSlots.StepSize}");
        var state = SymState<Z>.Load(alg, initial, cat, capacity, indices);

        // Depth 0: the initial state, judged as a step without action.
        var m0 = new SymMachine<Z>(alg, cat, version, state, new RegionSlots(initial.Heap.Count));
        foreach (var p in properties)
            if (alg.KnownBool(SymProperties.Finding(p, m0, null, null)) == true)
                found[p] = Confirm(config, p, []);

        // Z3 stops early only when interrupted: by Ctrl-C / SIGTERM, or by the --max-seconds timer.
        StopReason Interrupted() => options.Cancel.IsCancellationRequested ? StopReason.Cancelled : StopReason.MaxSeconds;

        var actions = config.Alphabet;
        var actVars = new List<Z>();
        var allTerms = properties.ToDictionary(p => p, _ => new List<Z>());
        for (var t = 1; t <= depth && found.Count < properties.Count; t++)
        {
            if (options.Cancel.IsCancellationRequested) { stop = StopReason.Cancelled; break; }
            Report(options, clock, $"depth {t} of {depth}: building the formula");
            var act = alg.Variable($"act_{t}", false, [.. Enumerable.Range(0, actions.Count)]);
            actVars.Add(act);
            var region = initial.Heap.Count + (t - 1) * RegionSlots.StepSize;
            // Each action runs on its own copy of the state; what follows an action in every step (the collectors and the
            // crash rule) runs once, on the merged result: a collector's walks over every slot are the largest part of
            // a cheap action's terms, and running them once makes a step's formula about 70% smaller (3.12, depth 2:
            // 348,000 terms before, 105,000 after; docs/benchmarks.md).
            var successors = new List<SymState<Z>>();
            var enabled = alg.False;
            var (crashed, decrefCross, foreignFree, initAgain) = (alg.False, alg.False, alg.False, alg.False);
            var run = new List<(Z Chosen, Model.Action Action)>();
            for (var k = 0; k < actions.Count; k++)
            {
                var a = actions[k];
                var m = new SymMachine<Z>(alg, cat, version, state.Clone(), new RegionSlots(region));
                var chosen = alg.Eq(act, alg.Int(k));
                var on = m.Enabled(a);
                enabled = alg.Or(enabled, alg.And(chosen, on));
                // An action never enabled here (e.g. clear_extension on 3.11) is not run: the state stays as it was, never chosen.
                if (alg.KnownBool(on) == false) { successors.Add(m.S); continue; }
                var owned = z3.Owned;
                m.RunAction(a);
                if (Diagnostics) Console.Error.WriteLine($"bmc: depth {t} {ActionText.Describe(a, cat)}: {z3.Owned - owned} terms");
                successors.Add(m.S);
                run.Add((chosen, a));
                crashed = alg.Ite(chosen, m.Crashed, crashed);
                decrefCross = alg.Ite(chosen, m.DecrefCross, decrefCross);
                foreignFree = alg.Ite(chosen, m.ForeignFree, foreignFree);
                initAgain = alg.Ite(chosen, m.InitAgain, initAgain);
            }
            assertions.Add(alg.TermOf(enabled));
            var end = new SymMachine<Z>(alg, cat, version, Merge(alg, assertions, act, successors, $"{t}a"), new RegionSlots(region))
            {
                Crashed = crashed, DecrefCross = decrefCross, ForeignFree = foreignFree, InitAgain = initAgain,
            };
            var ownedBefore = z3.Owned;
            end.EndStep(state);
            if (Diagnostics) Console.Error.WriteLine($"bmc: depth {t} the collectors and the crash rule: {z3.Owned - ownedBefore} terms");
            var transitionFindings = properties.ToDictionary(p => p, _ => alg.False);
            foreach (var p in properties)
                if (p.Scope == PropertyScope.Transition)
                    foreach (var (chosen, a) in run)
                        transitionFindings[p] = alg.Ite(chosen, SymProperties.Finding(p, end, state, a), transitionFindings[p]);
            state = Merge(alg, assertions, act, [end.S], $"{t}");
            var judge = new SymMachine<Z>(alg, cat, version, state, new RegionSlots(region));
            reached = t;
            var open = new Dictionary<Property, Z>();
            foreach (var p in properties)
            {
                if (found.ContainsKey(p)) continue;
                var finding = p.Scope == PropertyScope.Transition ? transitionFindings[p] : SymProperties.Finding(p, judge, null, null);
                allTerms[p].Add(finding);
                if (alg.KnownBool(finding) != false) open[p] = finding;
            }
            // One query per depth asks whether any open property finds something at this step; each model answers for
            // every property true in it, and the query is asked again for the rest until it is unsat. The formula is
            // simplified once per depth, with a selector per open property (a later query turns the settled ones off);
            // each query is then a fresh solver (much faster here than the incremental one) that bit-blasts and runs
            // SAT. Measured (docs/benchmarks.md): Z3's own QF_BV pipeline was 5 to 9 times slower on unsat queries,
            // mostly for its propagate-values; solving the step equations away (solve-eqs) took most of what remained,
            // 165 of 208 s at depth 3 under 3.12, where the SAT solver takes the equations as they are in 30 s.
            var selectors = open.Keys.ToDictionary(p => p, p => alg.Variable($"open_{p.Name.Replace('-', '_')}_{t}", true, []));
            var anyOpen = open.Aggregate(alg.False, (acc, o) => alg.Or(acc, alg.And(selectors[o.Key], o.Value)));
            Preprocessed? pre = null;
            if (open.Count > 0)
            {
                var preClock = Stopwatch.StartNew();
                try
                {
                    pre = WithProgress(options, clock, $"depth {t} of {depth}: Z3 simplifying",
                        () => z3.Preprocess(assertions.Append(alg.TermOf(anyOpen)), PreprocessTactics));
                }
                catch (Z3Exception) when (options.Cancel.IsCancellationRequested || clock.Elapsed.TotalSeconds >= options.MaxSeconds)
                {
                    stop = Interrupted();
                }
                if (Diagnostics) Console.Error.WriteLine($"bmc: depth {t}: preprocessed in {preClock.Elapsed.TotalSeconds:F2} s ({(pre is null ? "not one subgoal" : $"{pre.Formulas.Count} formulas")})");
            }
            while (open.Count > 0 && stop == StopReason.DepthBound)
            {
                // The same question either way: some selected property finds something, the settled ones deselected.
                var query = z3.TacticSolver(pre is null ? FullTactics : QueryTactics);
                foreach (var f in pre?.Formulas ?? [.. assertions, alg.TermOf(anyOpen)]) query.Assert(f);
                foreach (var (p, selector) in selectors)
                    if (!open.ContainsKey(p)) query.Assert(alg.TermOf(alg.Not(selector)));
                var checkClock = Stopwatch.StartNew();
                // A query can take minutes: the progress line says so, with the time ticking, until Z3 answers.
                var activity = $"depth {t} of {depth}: Z3 solving ({open.Count} {(open.Count == 1 ? "property" : "properties")} open)";
                var answer = WithProgress(options, clock, activity, query.Check);
                if (Diagnostics) Console.Error.WriteLine($"bmc: depth {t}, {open.Count} open: {answer} in {checkClock.Elapsed.TotalSeconds:F2} s (built at {clock.Elapsed.TotalSeconds:F1} s)");
                if (answer == SolveResult.Unsat) break;
                if (answer == SolveResult.Unknown)
                {
                    stop = Interrupted();
                    break;
                }
                // A model of the simplified formulas, completed for whatever the simplification took out.
                var model = pre is null ? query.Model() : pre.Convert(query.Model());
                var steps = actVars.Select(v => actions[(int)model.UInt(alg.TermOf(v))]).ToList();
                var settled = 0;
                foreach (var (p, finding) in open.ToList())
                {
                    if (!model.Bool(alg.TermOf(finding))) continue;
                    found[p] = Confirm(config, p, steps);
                    open.Remove(p);
                    settled++;
                }
                // The query asked for a selected property that finds something: a model that settles none is a bug here.
                if (settled == 0) throw new InvalidOperationException($"BMC: a model at depth {t} settles no open property");
            }
            if (stop != StopReason.DepthBound) { reached = t - 1; break; }
        }

        if (smt2Path is not null) WriteSmt2(smt2Path, z3, alg, assertions, allTerms, depth);

        var complete = stop == StopReason.DepthBound;
        var verdicts = properties.Select(p => found.TryGetValue(p, out var cx)
            ? new PropertyVerdict(p, p.Kind == PropertyKind.Always ? Verdict.Violated : Verdict.Witnessed, cx)
            : new PropertyVerdict(p, !complete ? Verdict.Incomplete : p.Kind == PropertyKind.Always ? Verdict.HoldsWithinDepth : Verdict.NeverWitnessed, null))
            .ToList();
        var stats = new SearchStats(0, 0, null, reached, clock.Elapsed, Process.GetCurrentProcess().PeakWorkingSet64, 0, null, options.Storage,
            false, 1, stop, 0) { Symbolic = true };
        return new ExploreResult(config, stats, verdicts);
    }

    /// <summary>Runs <paramref name="work"/> while reporting <paramref name="activity"/> now and every second, until it returns.</summary>
    private static TResult WithProgress<TResult>(ExploreOptions options, Stopwatch clock, string activity, Func<TResult> work)
    {
        if (options.OnProgress is null) return work();
        // The first report now, on this thread: a timer's first tick may come after a short query has ended (the
        // thread pool is slow to start one under load), and the line would then never say what was done.
        Report(options, clock, activity);
        var timer = new Timer(_ => Report(options, clock, activity), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            return work();
        }
        finally
        {
            // Wait for a report under way, so none comes after the caller has moved on (or cleared the line).
            using var done = new ManualResetEvent(false);
            if (timer.Dispose(done)) done.WaitOne();
        }
    }

    private static void Report(ExploreOptions options, Stopwatch clock, string activity) =>
        options.OnProgress?.Invoke(new ExploreProgress(0, 0, 0, 0, clock.Elapsed, Process.GetCurrentProcess().WorkingSet64) { Activity = activity });

    /// <summary>
    /// The chosen successor: each term the chosen action's, as a fresh variable (named with <paramref name="t"/>) equal to
    /// it, so that terms stay per step. With one successor, its terms as fresh variables.
    /// </summary>
    private static SymState<Z> Merge(Z3Algebra alg, List<Term> assertions, Z act, List<SymState<Z>> successors, string t)
    {
        var result = successors[0].Clone();
        var arrays = successors.Select(s => s.Arrays().ToList()).ToList();
        var target = result.Arrays().ToList();
        for (var f = 0; f < target.Count; f++)
        {
            var (name, terms, isBool) = target[f];
            for (var i = 0; i < terms.Length; i++)
            {
                var v = arrays[^1][f].Terms[i];
                for (var k = successors.Count - 2; k >= 0; k--)
                    v = alg.Ite(alg.Eq(act, alg.Int(k)), arrays[k][f].Terms[i], v);
                if (alg.KnownInt(v) is not null) { terms[i] = v; continue; }
                var fresh = alg.Variable($"{name}_{i}_{t}", isBool, v.Values);
                assertions.Add(alg.TermOf(alg.Eq(fresh, v)));
                terms[i] = fresh;
            }
        }
        return result;
    }

    /// <summary>
    /// Replays <paramref name="steps"/> on the explicit model: every step must be enabled, <paramref name="p"/> must find
    /// nothing before the last step and something on it.
    /// </summary>
    private static Counterexample Confirm(Configuration config, Property p, IReadOnlyList<Action> steps)
    {
        var cat = config.Catalogue;
        var s = config.Initial();
        var transitions = new List<Transition>();
        Finding? finding = steps.Count == 0 ? p.Check(Step.Initial(s, cat)) : null;
        for (var k = 0; k < steps.Count; k++)
        {
            if (config.WhyDisabled(s, steps[k]) is { } why)
                throw Disagree(config, p, steps, $"step {k + 1} ({ActionText.Describe(steps[k], cat)}) is not enabled there: {why}");
            var tr = config.Step(s, steps[k]);
            transitions.Add(tr);
            finding = p.Check(Step.Of(s, tr, cat));
            if (finding is not null && k < steps.Count - 1)
                throw Disagree(config, p, steps, $"the explicit model finds it already at step {k + 1}, which the encoding missed");
            s = tr.State;
        }
        return finding is null
            ? throw Disagree(config, p, steps, "the explicit model finds nothing on the last step")
            : new Counterexample(steps, transitions, finding);
    }

    private static EngineDisagreementException Disagree(Configuration config, Property p, IReadOnlyList<Action> steps, string why) =>
        new($"the BMC engine and the explicit model disagree (a bug in Verify's encoding): under {config.Semantics.Name}, BMC reports " +
            $"{p.Name} at step {steps.Count} of [{string.Join("; ", steps.Select(a => ActionText.Describe(a, config.Catalogue)))}], but {why}");

    private static void WriteSmt2(string path, Z3Context z3, Z3Algebra alg, List<Term> assertions, Dictionary<Property, List<Z>> findings, int depth)
    {
        using var w = new StringWriter();
        w.WriteLine($"; Verify BMC query: the model unrolled {depth} step(s) (docs/symbolic.md). One check per property:");
        w.WriteLine("; sat means the property finds something (a violation, or a witness of a sometimes-property) within the bound.");
        w.WriteLine("; found_<property> is true exactly when that property finds something within the bound.");
        // Each property's finding is named by a constant defined among the assertions, so that the solver's printer, which
        // shares common subterms, prints it: printed on its own, a term is a tree, exponentially bigger than its DAG.
        var all = z3.Solver();
        foreach (var a in assertions) all.Assert(a);
        var names = new List<(Property P, string Name)>();
        foreach (var (p, terms) in findings)
        {
            var name = "found_" + p.Name.Replace('-', '_');
            var named = alg.Variable(name, true, []);
            all.Assert(alg.TermOf(alg.Eq(named, terms.Aggregate(alg.False, alg.Or))));
            names.Add((p, name));
        }
        w.Write(all.ToSmt2());
        foreach (var (p, name) in names)
        {
            w.WriteLine($"; {p.Name}: {p.Statement}");
            w.WriteLine("(push 1)");
            w.WriteLine($"(assert {name})");
            w.WriteLine("(check-sat)");
            w.WriteLine("(pop 1)");
        }
        AtomicFile.WriteAllText(path, w.ToString());
    }
}
