using System.Text.RegularExpressions;
using Xunit;
using Verify.Properties;

namespace Verify.Tests.Properties;

/// <summary>The list of properties itself: names, kinds and statements, against issue 3.</summary>
public class PropertyListTests
{
    // Issue 3, "Deliver" 1: the nine always-properties, by name.
    private static readonly string[] IssueAlwaysNames =
    [
        "no-cross-interpreter-decref", "no-foreign-free", "importer-owns-module-dict", "no-dead-owner",
        "m-copy-owner-alive", "init-once-per-process", "look-up-self-consistent", "no-leak-after-finalize",
        "refcounts-exact",
    ];

    private static readonly string[] SometimesNames = ["subinterpreter-imports-legacy-module", "subinterpreter-ends"];

    public static TheoryData<string> Names => new(IsolationProperties.All.Select(p => p.Name));

    [Fact]
    public void AllHoldsExactlyTheNineAlwaysPropertiesOfIssue3ThenTheSometimesOnes()
    {
        var always = IsolationProperties.All.Where(p => p.Kind == PropertyKind.Always).Select(p => p.Name).ToList();
        var sometimes = IsolationProperties.All.Where(p => p.Kind == PropertyKind.Sometimes).Select(p => p.Name).ToList();
        Assert.Equal(IssueAlwaysNames.Order(), always.Order());
        Assert.Equal(SometimesNames.Order(), sometimes.Order());
        // "always-properties first, in the order reports list them"
        Assert.Equal(always.Count, IsolationProperties.All.TakeWhile(p => p.Kind == PropertyKind.Always).Count());
    }

    [Fact]
    public void NamesAreUniqueAndKebabCase()
    {
        var names = IsolationProperties.All.Select(p => p.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches(new Regex("^[a-z]+(-[a-z]+)*$"), n));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void EachHasAOneLineStatementAndIsFoundByName(string name)
    {
        var p = IsolationProperties.Find(name);
        Assert.NotNull(p);
        Assert.Same(p, IsolationProperties.All.Single(x => x.Name == name));
        Assert.Equal(name, p.ToString());
        Assert.False(string.IsNullOrWhiteSpace(p.Statement));
        Assert.DoesNotContain('\n', p.Statement);
        Assert.DoesNotContain('\r', p.Statement);
        Assert.Equal(p.Statement.Trim(), p.Statement);
        Assert.InRange(p.Statement.Length, 20, 160);
    }

    // Property.cs: "Statement says in one line what it forbids (always) or what it asks to be seen (sometimes)"; issue 3:
    // "a one-line statement of what it forbids". An always-statement names the forbidden thing, so it cannot read "no ...".
    [Theory]
    [MemberData(nameof(Names))]
    public void AnAlwaysStatementNamesWhatIsForbidden(string name)
    {
        var p = IsolationProperties.Find(name)!;
        if (p.Kind != PropertyKind.Always) return;
        Assert.False(p.Statement.StartsWith("no ", StringComparison.Ordinal), $"{name}: '{p.Statement}' states the invariant, not what it forbids");
    }

    [Fact]
    public void AnUnknownNameFindsNothing() => Assert.Null(IsolationProperties.Find("no-such-property"));

    // Issue 3: "increfs are not counted" and "sharing itself is importer-owns-module-dict's concern"; the event-based
    // properties must be judged on every transition (Scope Transition), the others may be judged once per state.
    [Theory]
    [InlineData("no-cross-interpreter-decref", PropertyScope.Transition)]
    [InlineData("no-foreign-free", PropertyScope.Transition)]
    [InlineData("init-once-per-process", PropertyScope.Transition)]
    [InlineData("subinterpreter-ends", PropertyScope.Transition)]
    [InlineData("importer-owns-module-dict", PropertyScope.State)]
    [InlineData("no-dead-owner", PropertyScope.State)]
    [InlineData("m-copy-owner-alive", PropertyScope.State)]
    [InlineData("look-up-self-consistent", PropertyScope.State)]
    [InlineData("no-leak-after-finalize", PropertyScope.State)]
    [InlineData("refcounts-exact", PropertyScope.State)]
    [InlineData("subinterpreter-imports-legacy-module", PropertyScope.State)]
    public void ScopeMatchesWhatTheCheckReads(string name, PropertyScope scope) =>
        Assert.Equal(scope, IsolationProperties.Find(name)!.Scope);
}
