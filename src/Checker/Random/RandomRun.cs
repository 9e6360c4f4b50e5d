using Verify.Model;

namespace Verify.Checker.Random;

/// <summary>Why a random run stopped before its length.</summary>
public enum RunEnd
{
    /// <summary>it took every step its plan had</summary>
    Length,
    /// <summary>no action was enabled (after finalize or a crash, or every enabled kind is left out by swarm)</summary>
    NothingEnabled,
}

/// <summary>A trace a plan produced, with the model's transitions, so that properties are judged without stepping again.</summary>
public sealed record RandomRun(RunPlan Plan, IReadOnlyList<Model.Action> Actions, IReadOnlyList<Transition> Transitions, RunEnd End)
{
    public int Length => Actions.Count;
}
