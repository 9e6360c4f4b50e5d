namespace Verify.Checker.Random;

/// <summary>
/// The random choices of one run, drawn by FsCheck: the op kinds the run leaves out (swarm mode) and one number per
/// step. <see cref="TraceGenerator.Play"/> turns a plan into a valid trace by walking the model, so a plan fixes
/// the trace completely: the same seed gives the same plan, hence the same trace, on any machine.
/// </summary>
/// <param name="Disabled">op kinds this run never picks (empty without swarm)</param>
/// <param name="Choices">per step, a number in [0, 2^31) that picks the kind and then the action (see Play)</param>
public sealed record RunPlan(IReadOnlyList<string> Disabled, int[] Choices);
