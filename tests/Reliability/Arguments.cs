using FsCheck;
using FsCheck.Fluent;

namespace Verify.Tests.Reliability;

/// <summary>
/// Command lines for the fuzzer: each command with a random selection of its options (and of other commands'),
/// each given a value from a pool of valid, edge and nonsense values, plus stray words. Commands that can run
/// long always get a small bound (its value fuzzed too, mostly small) so that a valid command line ends quickly.
/// </summary>
internal static class Arguments
{
    /// <summary>Files the arguments may name.</summary>
    public sealed record Files(string Spec, string Trace, string Empty, string Folder, string Out, string Missing);

    private static readonly string[] Numbers =
    [
        "0", "-1", "1", "2", "3", "64", "65", "2147483647", "2147483648", "-2147483649", "9223372036854775808", "99999999999999999999",
        "1.5", "1e3", "1e309", "NaN", "Infinity", "-Infinity", "0x10", "", " ", "x", "1,000", "١٢", "😀",
    ];

    private static readonly string[] Sizes = ["1", "0", "-1", "512M", "4G", "1.5GiB", "100KB", "0M", "1T", "9999999T", "4X", "G", "", "1e3", "NaN", "18446744073709551616"];

    private static readonly string[] Names =
    [
        "cpython-3.12", "cpython-3.10", "cpython-3.13", "cpython-main", "cpython-3.1", "CPYTHON-3.12", "all", "", " ", "no-foreign-free", "no-foreign-fre",
        "refcounts-exact", "subinterpreter-ends", "x", "😀", "-", "--", "--json", "\u202Ecpython", new string('a', 10000),
    ];

    private static readonly string[] Words =
    [
        "check", "replay", "random", "list", "demo", "bench", "conform", "compare", "chek", "help", "--help", "-h", "-?", "--version", "--verbose", "-v",
        "--", "-", "", " ", "--unknown", "-x", "--json=true", "--depth=2", "--semantics=cpython-3.12", "@response.txt", "\0", "😀",
    ];

    public static Gen<string[]> CommandLine(Files f)
    {
        var file = Gen.Elements(f.Spec, f.Trace, f.Empty, f.Folder, f.Missing, "/dev/null", "", "-", "specs/default.yaml", "/", "\0");
        var number = Gen.Elements(Numbers);
        var small = Gen.Frequency((4, Gen.Elements("1", "2", "3")), (1, number));
        // A bound's value: small, or invalid, never a valid large one (which would make a valid command line run long).
        var bound = Gen.Frequency((4, Gen.Elements("1", "2", "3", "20")), (1, Gen.Elements("0", "-1", "x", "", "1.5", "NaN", "1e3", "99999999999999999999", "-2147483649")));
        var name = Gen.Elements(Names);
        var size = Gen.Elements(Sizes);
        var outDir = Gen.Frequency((6, Gen.Constant(f.Out)), (1, Gen.Elements(f.Spec, "", "/proc/verify-cannot-write", "/dev/null/x", f.Folder)));
        var seconds = Gen.Frequency((4, Gen.Elements("0.05", "0.2")), (1, number));

        Gen<string[]> Opt(string option, Gen<string> value) => value.Select(v => new[] { option, v });
        Gen<string[]> Flag(string option) => Gen.Constant(new[] { option });

        // Options each command takes (and some it does not); the bound comes first and always.
        var check = Build(["check"], Gen.Elements(Array.Empty<string>(), [f.Spec], [f.Empty], [f.Missing], [f.Folder], [f.Trace]),
            [Opt("--max-states", bound), Opt("--out", outDir)],
            [Opt("--semantics", name), Opt("-s", name), Opt("--property", name), Opt("-p", name), Opt("--depth", small), Opt("--max-seconds", seconds),
             Opt("--max-memory", size), Flag("--exact"), Flag("--no-symmetry"), Opt("--workers", small), Flag("--first"), Flag("--json"), Opt("--runs", number)]);
        var random = Build(["random"], Gen.Elements(Array.Empty<string>(), [f.Spec], [f.Empty], [f.Missing]),
            [Opt("--runs", bound), Opt("--length", bound), Opt("--out", outDir)],
            [Opt("--semantics", name), Opt("--property", name), Opt("--seed", Gen.Elements([.. Numbers, "0xFFFFFFFFFFFFFFFF", "0x", "18446744073709551615", "18446744073709551616"])),
             Flag("--no-swarm"), Opt("--shrinks", small), Opt("--max-seconds", seconds), Flag("--json"), Opt("-n", bound), Opt("-l", bound), Opt("--depth", number)]);
        var replay = Build(["replay"], Gen.Elements(Array.Empty<string>(), [f.Trace], [f.Spec], [f.Empty], [f.Missing], [f.Folder], [f.Trace, f.Trace]),
            [],
            [Opt("--semantics", name), Opt("-s", name), Opt("--spec", file), Flag("--json"), Flag("--verbose-events"), Opt("--out", outDir)]);
        var bench = Build(["bench"], Gen.Elements(Array.Empty<string>(), [f.Spec], [f.Missing]),
            [Opt("--max-seconds", Gen.Frequency((6, Gen.Constant("0.01")), (1, Gen.Elements("0", "-1", "x", "NaN", "Infinity", "")))), Opt("--semantics", Gen.Constant("cpython-3.12")),
             Opt("--slots", Gen.Frequency((6, Gen.Constant("1")), (1, number))), Opt("--symmetry", Gen.Frequency((6, Gen.Constant("on")), (1, Gen.Elements("off", "both", "maybe", ""))))],
            [Opt("--workers", small), Flag("--json")]);
        var conform = Build(["conform"], Gen.Elements(Array.Empty<string>(), [f.Trace], [f.Folder], [f.Missing], [f.Empty]),
            [Opt("--python", Gen.Elements("3.99", "2.7", "/nonexistent/python3", "", "/dev/null", "/bin/true", f.Folder, "3", "3.", "..", "x.y"))],
            [Opt("--semantics", name), Opt("--backend", Gen.Elements("probe", "stdlib", "x", "")), Opt("--runs", number), Opt("--timeout", number), Flag("--record"), Flag("--json")]);
        var compare = Build(["compare"], Gen.Elements(Array.Empty<string>(), [f.Spec], [f.Empty], [f.Missing], [f.Folder]),
            [Opt("--max-states", bound), Opt("--traces", bound), Opt("--length", bound), Opt("--out", outDir)],
            [Opt("--semantics", name), Opt("-s", Gen.Elements("fix-opt-out", "fix-immortal-m-copy", "fix-per-interp-def", "fix-", "fix-opt-outt")),
             Opt("--property", name), Opt("--depth", small), Opt("--max-seconds", seconds),
             Opt("--baseline", Gen.Elements("cpython-3.12", "cpython-3.13", "fix-opt-out", "cpython-9", "")), Opt("--seed", number),
             Opt("--expect", Gen.Elements(f.Spec, f.Trace, f.Empty, f.Missing, f.Folder, "specs/expectations.yaml", "")),
             Opt("--markdown", Gen.Elements(Path.Combine(f.Out, "c.md"), "", f.Folder, "/proc/verify-cannot-write/c.md")), Flag("--json")]);
        // Not [] nor global options alone: those run the whole default check, a valid command line that takes seconds.
        var simple = Gen.Elements<string[]>(["list"], ["demo"], ["list", "--json"], ["demo", "x"], ["--help"], ["check", "--help"], ["--version"], ["list", "extra"]);
        var words = Gen.Elements("chek", "help", "--help", "-h", "-?", "--version", "--unknown", "-x", "@response.txt", "list", "demo", "\0", "😀")
            .SelectMany(first => Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(Words), n).Select(rest => (string[])[first, .. rest])));

        // bench is rare: each run starts with a full garbage collection, the costliest case by far.
        var line = Gen.Frequency((10, check), (8, random), (10, replay), (1, bench), (4, conform), (4, compare), (4, simple), (6, words));
        // Now and then a stray word or a global option anywhere in the line.
        return line.SelectMany(args => Gen.Frequency(
            (6, Gen.Constant(args)),
            (1, Gen.Choose(0, args.Length).SelectMany(at => Gen.Elements(Words).Select(w => (string[])[.. args[..at], w, .. args[at..]])))));
    }

    /// <summary>A command: its words, its positional arguments, every bound, and a random subset of the other options in random order.</summary>
    private static Gen<string[]> Build(string[] command, Gen<string[]> positional, Gen<string[]>[] bounds, Gen<string[]>[] options)
    {
        var chosenBounds = bounds.Length == 0 ? Gen.Constant(Array.Empty<string[]>()) : Gen.CollectToArray(bounds);
        var chosen = Gen.Choose(0, Math.Min(4, options.Length)).SelectMany(n =>
            Gen.ArrayOf(Gen.Choose(0, options.Length - 1), n).SelectMany(picks => Gen.CollectToArray(picks.Select(p => options[p]))));
        return positional.SelectMany(pos => chosenBounds.SelectMany(b => chosen.Select(o =>
            (string[])[.. command, .. pos, .. b.SelectMany(x => x), .. o.SelectMany(x => x)])));
    }
}
