using BenchmarkDotNet.Running;

// BenchmarkDotNet's command line (--filter, --job short, --list flat, ...; --help). The benchmarks always run in
// this process (--inProcess): BenchmarkDotNet would otherwise generate, restore and build a project of its own for
// every run, which on a 2-core machine takes longer than the benchmarks and writes build output into the work tree.
var argv = args.Any(a => a.Equals("--inProcess", StringComparison.OrdinalIgnoreCase)) ? args : ["--inProcess", .. args];
BenchmarkSwitcher.FromAssembly(typeof(Verify.Benchmarks.Workloads).Assembly).Run(argv);
