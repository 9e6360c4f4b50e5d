using System.Globalization;
using FsCheck;
using Microsoft.FSharp.Collections;
using Microsoft.FSharp.Core;
using Xunit;
using TestResult = FsCheck.TestResult;

namespace Verify.Tests.FsCheckSupport;

/// <summary>
/// Runs an FsCheck property from an xunit.v3 test without FsCheck.Xunit. FsCheck's own report (the seed to
/// replay, the original and shrunk counterexamples, the number of tests and shrinks, the exception) is
/// captured by a runner and becomes the xunit failure message as is; on success FsCheck's summary line goes
/// to the test output. The seed is fixed, so a CI run is reproducible; locally
/// <c>VERIFY_SEED</c> (<c>seed</c>, <c>seed,gamma</c> or <c>seed,gamma,size</c> as FsCheck prints it, or
/// <c>random</c>) and <c>VERIFY_FSCHECK_RUNS</c> override it. With <c>CI=true</c> both are ignored.
/// </summary>
public static class PropertyCheck
{
    /// <summary>The seed every CI run uses.</summary>
    public const ulong FixedSeed = 20240611;
    /// <summary>SplitMix's golden gamma (odd, as FsCheck's generator requires) for seeds given without one.</summary>
    private const ulong DefaultGamma = 0x9E3779B97F4A7C15UL;

    public static void Run(Property property, int runs)
    {
        var (result, report, seedLine) = Execute(property, runs);
        if (result is null || !result.IsPassed)
            Assert.Fail($"{report}\n{seedLine}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{report.Trim()}\n{seedLine}");
    }

    /// <summary>
    /// For a property expected to fail (a bug the model must show): passes when FsCheck falsifies it within
    /// <paramref name="runs"/> and returns FsCheck's report (also written to the test output); fails with the report
    /// when every run passed.
    /// </summary>
    public static string ExpectFalsified(Property property, int runs, string why)
    {
        var (result, report, seedLine) = Execute(property, runs);
        if (result is null || result.IsPassed)
            Assert.Fail($"expected a counterexample ({why}), but FsCheck found none:\n{report}\n{seedLine}");
        TestContext.Current.TestOutputHelper?.WriteLine($"{report.Trim()}\n{seedLine}");
        return report;
    }

    private static (TestResult? Result, string Report, string SeedLine) Execute(Property property, int runs)
    {
        var (replay, seedText, runsUsed, note) = Settings(runs);
        var capture = new CapturingRunner();
        var config = Config.Quick
            .WithMaxTest(runsUsed)
            .WithReplay(FSharpOption<Replay>.Some(replay))
            .WithRunner(capture);
        var seedLine = $"FsCheck seed {seedText}, {runsUsed} runs{note}. Replay locally with VERIFY_SEED=\"{seedText}\".";
        try
        {
            Check.One(config, property);
        }
        catch (Exception e)
        {
            // Only a generator or shrinker that throws gets here (FsCheck reports a throwing property itself).
            Assert.Fail($"FsCheck aborted: a generator or shrinker threw, so there is no counterexample.\n{e}\n{seedLine}");
        }
        return (capture.Result, capture.Report, seedLine);
    }

    private static (Replay Replay, string SeedText, int Runs, string Note) Settings(int defaultRuns)
    {
        var ci = Environment.GetEnvironmentVariable("CI") is { } c && (c.Equals("true", StringComparison.OrdinalIgnoreCase) || c == "1");
        var seedVar = Environment.GetEnvironmentVariable("VERIFY_SEED");
        var runsVar = Environment.GetEnvironmentVariable("VERIFY_FSCHECK_RUNS");
        var note = ci && (seedVar is not null || runsVar is not null) ? " (CI=true: VERIFY_SEED/VERIFY_FSCHECK_RUNS ignored)" : "";

        var runs = !ci && int.TryParse(runsVar, CultureInfo.InvariantCulture, out var r) && r > 0 ? r : defaultRuns;
        if (ci || string.IsNullOrWhiteSpace(seedVar)) return (Seeded(FixedSeed, DefaultGamma, null), $"{FixedSeed}", runs, note);
        if (seedVar.Trim() == "random")
        {
            var seed = (ulong)System.Random.Shared.NextInt64(long.MaxValue);
            return (Seeded(seed, DefaultGamma, null), $"{seed}", runs, " (random)");
        }
        var parts = seedVar.Trim().Trim('(', ')').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 3 || !ulong.TryParse(parts[0], CultureInfo.InvariantCulture, out var s)
            || (parts.Length > 1 && !ulong.TryParse(parts[1], CultureInfo.InvariantCulture, out _))
            || (parts.Length > 2 && !int.TryParse(parts[2], CultureInfo.InvariantCulture, out _)))
            throw new ArgumentException($"VERIFY_SEED='{seedVar}': expected seed, seed,gamma or seed,gamma,size (numbers), or 'random'");
        var gamma = parts.Length > 1 ? ulong.Parse(parts[1], CultureInfo.InvariantCulture) : DefaultGamma;
        int? size = parts.Length > 2 ? int.Parse(parts[2], CultureInfo.InvariantCulture) : null;
        return (Seeded(s, gamma, size), seedVar.Trim(), runs, "");
    }

    private static Replay Seeded(ulong seed, ulong gamma, int? size) =>
        new(new Rnd(seed, gamma), size is { } n ? FSharpOption<int>.Some(n) : FSharpOption<int>.None);

    /// <summary>Keeps FsCheck's final report (the text its console runner would print) instead of printing it.</summary>
    private sealed class CapturingRunner : IRunner
    {
        public TestResult? Result { get; private set; }
        public string Report { get; private set; } = "FsCheck did not finish";

        public void OnStartFixture(Type t) { }
        public void OnArguments(int ntest, FSharpList<object> args, FSharpFunc<int, FSharpFunc<FSharpList<object>, string>> every) { }
        public void OnShrink(FSharpList<object> args, FSharpFunc<FSharpList<object>, string> everyShrink) { }

        public void OnFinished(string name, TestResult result)
        {
            Result = result;
            Report = Runner.onFinishedToString(name, result);
        }
    }
}
