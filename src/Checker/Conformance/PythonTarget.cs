using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

namespace Verify.Checker.Conformance;

/// <summary>
/// A real CPython to compare against: its executable, exact version and header folder. <c>--python</c> takes
/// a version (<c>3.12</c>, <c>3.12.1</c>: looked up among pyenv's installs, then as <c>python3.12</c> on PATH)
/// or the path of an executable.
/// </summary>
internal sealed record PythonTarget(string Executable, string Version, string IncludeDir)
{
    /// <summary>"3.12" of "3.12.1".</summary>
    public string MinorVersion => string.Join('.', Version.Split('.').Take(2));

    /// <summary>The model semantics that describes this version: 3.10/3.11 share one machinery.</summary>
    public string? DefaultSemantics => SemanticsFor(Version);

    /// <summary>The model semantics for a CPython version ("3.12.1" or "3.12"), or null for versions Verify does not model.</summary>
    public static string? SemanticsFor(string version) => string.Join('.', version.Split('.').Take(2)) switch
    {
        "3.10" => "cpython-3.10",
        "3.11" => "cpython-3.11",
        "3.12" => "cpython-3.12",
        "3.13" => "cpython-3.13",
        _ => null,
    };

    public static PythonTarget Resolve(string given)
    {
        var exe = LooksLikeVersion(given) ? FindByVersion(given) : FindByPath(given);
        string output;
        try
        {
            output = ProcessRunner.Run(exe, ["-c",
                "import sys, sysconfig; print('%d.%d.%d' % sys.version_info[:3]); print(sysconfig.get_path('include'))"],
                TimeSpan.FromSeconds(30)).CheckedStdout(exe);
        }
        catch (ProcessRunner.Failure e)
        {
            throw new InputException($"--python {given}: {exe} does not run as a Python interpreter ({e.Message}). Pass a CPython version such as 3.12 or the path of its python executable.");
        }
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length < 2)
            throw new InputException($"--python {given}: {exe} did not report its version and include folder; is it CPython?");
        return new PythonTarget(exe, lines[0], lines[1]);
    }

    private static bool LooksLikeVersion(string s) =>
        s.Length > 0 && char.IsDigit(s[0]) && s.All(c => char.IsDigit(c) || c == '.') && s.Contains('.');

    private static string FindByPath(string path)
    {
        if (File.Exists(path)) return Path.GetFullPath(path);
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, "bin", "python3"))) return Path.Combine(Path.GetFullPath(path), "bin", "python3");
        throw new InputException($"--python {path}: no such file. Pass a CPython version such as 3.12 (installed with pyenv) or the path of a python executable.");
    }

    private static string FindByVersion(string version)
    {
        foreach (var root in PyenvRoots())
        {
            var versions = Path.Combine(root, "versions");
            if (!Directory.Exists(versions)) continue;
            // 3.12 picks the newest 3.12.x; 3.12.1 only itself.
            var match = Directory.GetDirectories(versions)
                .Select(Path.GetFileName)
                .Where(n => n == version || n!.StartsWith(version + ".", StringComparison.Ordinal))
                .Where(n => n!.All(c => char.IsDigit(c) || c == '.'))
                .OrderByDescending(n => n, Comparer<string?>.Create(CompareVersions))
                .FirstOrDefault();
            var exe = match is null ? null : Path.Combine(versions, match, "bin", "python3");
            if (exe is not null && File.Exists(exe)) return exe;
        }
        var minor = string.Join('.', version.Split('.').Take(2));
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var exe = Path.Combine(dir, "python" + minor);
            if (dir.Length > 0 && File.Exists(exe)) return exe;
        }
        throw new InputException($"--python {version}: no CPython {version} found (looked in pyenv's versions and for python{minor} on PATH). " +
                                 $"Install it (pyenv install {version}) or pass the path of its python executable.");
    }

    private static IEnumerable<string> PyenvRoots()
    {
        if (Environment.GetEnvironmentVariable("PYENV_ROOT") is { Length: > 0 } root) yield return root;
        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pyenv");
    }

    private static int CompareVersions(string? a, string? b)
    {
        var x = (a ?? "").Split('.').Select(p => int.TryParse(p, out var n) ? n : 0).ToArray();
        var y = (b ?? "").Split('.').Select(p => int.TryParse(p, out var n) ? n : 0).ToArray();
        for (var i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            var c = (i < x.Length ? x[i] : 0).CompareTo(i < y.Length ? y[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }

    /// <summary>
    /// The probe built for this Python, from the source shipped next to <c>verify</c>: compiled once per
    /// (source, version, headers) into the user's cache folder, never into the repository.
    /// </summary>
    public string BuildProbe()
    {
        var source = Path.Combine(ConformanceFiles.Folder, "probe", "verify_probe.c");
        if (!File.Exists(source))
            throw new InputException($"the probe source is missing next to verify ({source}); rebuild Verify.");
        var text = File.ReadAllBytes(source);
        var hash = Convert.ToHexString(SHA256.HashData([.. text, .. Encoding.UTF8.GetBytes(Version + "|" + IncludeDir)]))[..16].ToLowerInvariant();
        var dir = Path.Combine(CacheRoot(), "verify", "probe", $"{Version}-{hash}");
        var so = Path.Combine(dir, "_testsinglephase.so");
        if (File.Exists(so)) return so;
        Directory.CreateDirectory(dir);
        // Build beside the target, then rename: concurrent runs never see a half-written object.
        var tmp = Path.Combine(dir, $"build-{Environment.ProcessId}-{Guid.NewGuid():N}.so");
        ProcessRunner.Result r;
        try
        {
            r = ProcessRunner.Run("gcc", ["-shared", "-fPIC", "-O0", "-I" + IncludeDir, source, "-o", tmp], TimeSpan.FromSeconds(120));
        }
        catch (ProcessRunner.Failure e)
        {
            throw new InputException($"cannot build the conformance probe: gcc did not run ({e.Message}). Install gcc (apt-get install gcc).");
        }
        if (r.ExitCode != 0)
            throw new InputException($"cannot build the conformance probe for CPython {Version} with gcc: {r.Stderr.Trim()}\n" +
                                     $"(headers looked for in {IncludeDir}; install that Python's development headers)");
        File.Move(tmp, so, overwrite: true);
        return so;
    }

    /// <summary>
    /// The embedding program built for this Python (CPython's main plus the builtin <c>_testbuiltin</c>), or null with
    /// the reason when it cannot be built (no shared libpython, no gcc): traces that import the builtin are then skipped.
    /// </summary>
    public (string? Path, string? Why) BuildEmbed()
    {
        var source = Path.Combine(ConformanceFiles.Folder, "probe", "verify_embed.c");
        if (!File.Exists(source)) return (null, $"the embedding program's source is missing next to verify ({source})");
        string[] config;
        try
        {
            config = ProcessRunner.Run(Executable, ["-c",
                "import sysconfig as s; print(s.get_config_var('LIBDIR') or ''); print(s.get_config_var('LDVERSION') or ''); print(s.get_config_var('Py_ENABLE_SHARED') or 0)"],
                TimeSpan.FromSeconds(30)).CheckedStdout(Executable).Split('\n', StringSplitOptions.TrimEntries);
        }
        catch (ProcessRunner.Failure e)
        {
            return (null, $"could not ask {Executable} for its library folder: {e.Message}");
        }
        if (config.Length < 3 || config[0] == "" || config[1] == "" || config[2] != "1")
            return (null, $"CPython {Version} has no shared libpython to embed (built without --enable-shared)");
        var text = File.ReadAllBytes(source);
        var hash = Convert.ToHexString(SHA256.HashData([.. text, .. Encoding.UTF8.GetBytes(Version + "|" + IncludeDir + "|" + config[0])]))[..16].ToLowerInvariant();
        var dir = Path.Combine(CacheRoot(), "verify", "embed", $"{Version}-{hash}");
        var exe = Path.Combine(dir, "verify_embed");
        if (File.Exists(exe)) return (exe, null);
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $"build-{Environment.ProcessId}-{Guid.NewGuid():N}");
        ProcessRunner.Result r;
        try
        {
            // -rdynamic: the driver reads the builtin def through ctypes.PyDLL(None), i.e. the program's own symbols.
            r = ProcessRunner.Run("gcc", ["-O0", "-rdynamic", "-I" + IncludeDir, source, "-o", tmp,
                "-L" + config[0], "-lpython" + config[1], "-Wl,-rpath," + config[0], "-ldl", "-lm"], TimeSpan.FromSeconds(120));
        }
        catch (ProcessRunner.Failure e)
        {
            return (null, $"gcc did not run ({e.Message})");
        }
        if (r.ExitCode != 0) return (null, $"gcc could not build the embedding program for CPython {Version}: {r.Stderr.Trim()}");
        File.Move(tmp, exe, overwrite: true);
        return (exe, null);
    }

    private static string CacheRoot() =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
}

/// <summary>Where the driver and the probe source are: copied next to the <c>verify</c> assembly at build time.</summary>
internal static class ConformanceFiles
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "Conformance");
    public static string Driver => Path.Combine(Folder, "driver.py");
}

/// <summary>
/// Runs a program to completion with a time limit and captures its output. The limit and the cancellation token both
/// end the run by killing the program's whole process tree (the conformance driver runs each trace in a child of its
/// own), so nothing it started is left running.
/// </summary>
internal static class ProcessRunner
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string CheckedStdout(string exe) =>
            ExitCode == 0 ? Stdout : throw new Failure($"{exe} exited {ExitCode}: {Stderr.Trim()}");
    }

    public sealed class Failure(string message) : Exception(message);

    /// <exception cref="OperationCanceledException"><paramref name="cancel"/> was cancelled while the program ran: it
    /// was killed, with everything it started, and its output is thrown away.</exception>
    public static Result Run(string exe, IEnumerable<string> args, TimeSpan limit, CancellationToken cancel = default)
    {
        cancel.ThrowIfCancellationRequested();
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new Failure("could not start " + exe);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Failure(e.Message);
        }
        using (p)
        {
            // Killed from the cancelling thread (a signal handler's), at once: the wait below then returns.
            using var onCancel = cancel.Register(() => KillTree(p));
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var stderr = p.StandardError.ReadToEndAsync(CancellationToken.None);
            if (!p.WaitForExit(limit))
            {
                KillTree(p);
                cancel.ThrowIfCancellationRequested();
                throw new Failure($"{Path.GetFileName(exe)} did not finish within {limit.TotalSeconds:0} s");
            }
            p.WaitForExit();
            // Whatever the program printed after the cancellation (or because of it) is not its behaviour.
            cancel.ThrowIfCancellationRequested();
            return new Result(p.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static void KillTree(Process p)
    {
        try
        {
            p.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already exited (and reaped), or gone between the look-up of its children and the kill: nothing left to stop.
        }
    }
}
