using Xunit;

namespace Verify.Tests.Reliability;

/// <summary>
/// The collection of the tests that bound wall-clock time (how soon Ctrl-C or SIGTERM stops a <c>verify</c> process).
/// It runs alone, after every parallel test has finished: beside the single-threaded Z3 tests, which take minutes
/// each, a process on this project's two cores can wait many seconds for one, and the bound would measure the
/// machine's load instead of Verify (seen: a conform process took 24 s to exit after SIGINT in a CI run with three
/// BMC classes and another Z3 job on the two cores).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunAlone
{
    public const string Name = "wall-clock bounds, run alone";
}
