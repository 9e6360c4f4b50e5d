using System.Net;
using System.Text;
using Verify.Checker.Explore;
using Verify.Checker.Replay;
using Verify.Model;

namespace Verify.Checker.Compare;

/// <summary>
/// A counterexample drawn as a sequence diagram in inline SVG: a lifeline per interpreter the trace uses (and one for
/// the process-wide tables when a shown event touches them), a numbered mark per step on the acting interpreter's
/// lifeline, and per step its notable events as arrows from the acting interpreter to the owner of what it touched,
/// coloured by that owner. The finding's event (or, for a state property, the last step) is drawn in red, with the
/// finding's message under it.
/// </summary>
internal static class DiagramSvg
{
    /// <summary>The lane of the process-wide state: the def's <c>m_copy</c> and the extension cache.</summary>
    public const int Process = -1;

    /// <summary>At most this many events are drawn per step (the finding's event always is); the rest are counted.</summary>
    public const int MaxEventsPerStep = 8;

    private const int Left = 12, LaneWidth = 128, HeaderHeight = 48, StepHeight = 34, EventHeight = 22, NoteHeight = 20;
    private const int TextWidth = 860, MaxLabel = 116;
    private const string FindingColour = "#c81e1e";

    /// <summary>A consistent colour per interpreter (and grey for the process), used by the lanes, arrows and the legend.</summary>
    public static string Colour(int interp) => interp switch
    {
        Process => "#6b7280",
        0 => "#1f66b3",
        1 => "#d97706",
        2 => "#15803d",
        3 => "#7c3aed",
        4 => "#a16207",
        _ => "#0e7490",
    };

    public static string LaneName(int lane) => lane == Process ? "process" : Interp.Name(lane);

    /// <summary>
    /// The interpreters a counterexample uses: main (which creates the others and is always there) and every interpreter
    /// a step names, in index order.
    /// </summary>
    public static IReadOnlyList<int> Interpreters(Counterexample cx) =>
        cx.Steps.Select(Actor).Append(Interp.Main).Where(i => i >= 0).Distinct().Order().ToList();

    /// <summary>The interpreter that takes a step: the one it names; main for finalisation.</summary>
    public static int Actor(Model.Action a) => a switch
    {
        NewInterp n => n.I,
        EndInterp e => e.I,
        ModuleAction m => m.I,
        _ => Interp.Main,
    };

    /// <summary>The events of a step that the diagram draws (indices): the notable ones, capped, always with the finding's.</summary>
    public static (IReadOnlyList<int> Shown, int Hidden) ShownEvents(IReadOnlyList<Event> events, int finding)
    {
        var notable = Enumerable.Range(0, events.Count).Where(k => k == finding || NotableEvents.IsNotable(events[k], verbose: false)).ToList();
        if (notable.Count <= MaxEventsPerStep) return (notable, 0);
        var keep = notable.Where(k => k != finding).Take(finding >= 0 ? MaxEventsPerStep - 1 : MaxEventsPerStep).ToList();
        if (finding >= 0) keep.Add(finding);
        keep.Sort();
        return (keep, notable.Count - keep.Count);
    }

    /// <summary>Where things go: the lanes' x, the text column; <see cref="Id"/> prefixes the diagram's marker ids.</summary>
    private sealed class Layout(IReadOnlyList<int> lanes, string id)
    {
        public IReadOnlyList<int> Lanes { get; } = lanes;
        public string Id { get; } = id;
        public int X(int lane) => Left + LaneIndex(lane) * LaneWidth + LaneWidth / 2;
        public int TextX => Left + Lanes.Count * LaneWidth + 14;
        public int Width => TextX + TextWidth;
        private int LaneIndex(int lane)
        {
            for (var k = 0; k < Lanes.Count; k++) if (Lanes[k] == lane) return k;
            return Lanes.Count - 1;
        }
    }

    public static string Render(Counterexample cx, Catalogue cat, string id)
    {
        var interps = Interpreters(cx);
        var lastStep = cx.Transitions.Count - 1;
        var shown = cx.Transitions.Select((t, k) => ShownEvents(t.Events, k == lastStep ? cx.Finding.EventIndex : -1)).ToList();
        var usesProcess = cx.Steps.Any(a => a is Finalization) ||
                          shown.Select((s, k) => s.Shown.Any(e => Target(cx.Transitions[k].Events[e]) == Process)).Any(b => b);
        var lanes = usesProcess ? interps.Append(Process).ToList() : interps;
        var at = new Layout(lanes, id);

        // Lifelines are drawn first (under everything), so the body is laid out before them.
        var body = new StringBuilder();
        var born = new Dictionary<int, int> { [Interp.Main] = HeaderHeight, [Process] = HeaderHeight };
        var lives = new List<(int Lane, int From, int To, bool Ended)>();
        var y = HeaderHeight + 6;
        for (var k = 0; k < cx.Transitions.Count; k++)
        {
            var t = cx.Transitions[k];
            var last = k == lastStep;
            var stateFinding = last && cx.Finding.EventIndex < 0;
            y = StepRow(body, at, k + 1, t, cat, y, stateFinding, born);
            foreach (var e in shown[k].Shown)
            {
                var finding = last && e == cx.Finding.EventIndex;
                y = EventRow(body, at, t.Events[e], e + 1, Actor(t.Action), cat, y, finding);
                if (finding) y = FindingRow(body, at, cx.Finding.Message, y);
            }
            if (shown[k].Shown.Count == 0 && t.Events.Count > 0)
                y = NoteRow(body, at, y, $"{t.Events.Count} event{(t.Events.Count == 1 ? "" : "s")}, none of them notable", "more");
            if (shown[k].Hidden > 0)
                y = NoteRow(body, at, y, $"+{shown[k].Hidden} more notable event{(shown[k].Hidden == 1 ? "" : "s")} (see the step's report)", "more");
            if (stateFinding) y = FindingRow(body, at, cx.Finding.Message, y);
            // A lifeline ends with the step that ends its interpreter.
            var ended = t.Action switch
            {
                EndInterp e => [e.I],
                Finalization => born.Keys.Where(i => i != Process).Order().ToList(),
                _ => new List<int>(),
            };
            foreach (var i in ended)
                if (born.Remove(i, out var from)) lives.Add((i, from, y - 4, true));
            y += 4;
        }
        if (cx.Transitions.Count == 0) y = FindingRow(body, at, cx.Finding.Message, y);
        var bottom = y + 8;
        foreach (var (lane, from) in born.OrderBy(b => b.Key)) lives.Add((lane, from, bottom, false));

        var svg = new StringBuilder();
        svg.Append($"<svg class=\"sequence\" id=\"{id}\" width=\"{at.Width}\" height=\"{bottom + 4}\" " +
                   $"viewBox=\"0 0 {at.Width} {bottom + 4}\" data-lifelines=\"{string.Join(' ', interps.Select(Interp.Name))}\" " +
                   $"role=\"img\" aria-label=\"sequence diagram of {cx.Length} steps\">\n");
        svg.Append("<defs>");
        foreach (var lane in lanes) Marker(svg, id, LaneName(lane), Colour(lane));
        Marker(svg, id, "finding", FindingColour);
        svg.Append("</defs>\n");
        foreach (var lane in lanes)
        {
            var x = at.X(lane);
            svg.Append($"<line class=\"lane-track\" x1=\"{x}\" y1=\"{HeaderHeight}\" x2=\"{x}\" y2=\"{bottom}\" stroke=\"#d1d5db\" stroke-dasharray=\"2 4\"/>\n");
        }
        foreach (var (lane, from, to, endedHere) in lives.OrderBy(l => l.Lane).ThenBy(l => l.From))
        {
            var x = at.X(lane);
            svg.Append($"<line x1=\"{x}\" y1=\"{from}\" x2=\"{x}\" y2=\"{to}\" stroke=\"{Colour(lane)}\" stroke-width=\"{(lane == Process ? 1 : 2)}\" stroke-opacity=\"0.55\"/>\n");
            if (endedHere)
                svg.Append($"<path d=\"M{x - 6} {to - 6} L{x + 6} {to + 6} M{x + 6} {to - 6} L{x - 6} {to + 6}\" stroke=\"{Colour(lane)}\" stroke-width=\"2.5\"/>\n");
        }
        foreach (var lane in lanes) LaneHeader(svg, at, lane, cx.Steps);
        svg.Append(body);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Marker(StringBuilder svg, string id, string name, string colour) =>
        svg.Append($"<marker id=\"{id}-{name}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">" +
                   $"<path d=\"M0 0 L10 5 L0 10 z\" fill=\"{colour}\"/></marker>");

    private static void LaneHeader(StringBuilder svg, Layout at, int lane, IReadOnlyList<Model.Action> steps)
    {
        var x = at.X(lane);
        var colour = Colour(lane);
        var mode = lane == Process ? "m_copy, cache"
            : lane == Interp.Main ? "main interpreter"
            : steps.OfType<NewInterp>().FirstOrDefault(n => n.I == lane) is { } n ? ActionText.Mode(n.Mode) : "subinterpreter";
        svg.Append($"<g class=\"lifeline\" data-lane=\"{E(LaneName(lane))}\">" +
                   $"<rect x=\"{x - LaneWidth / 2 + 8}\" y=\"6\" width=\"{LaneWidth - 16}\" height=\"36\" rx=\"6\" fill=\"{colour}\" fill-opacity=\"0.12\" stroke=\"{colour}\" stroke-width=\"1.5\"/>" +
                   $"<text x=\"{x}\" y=\"21\" text-anchor=\"middle\" class=\"lane-name\" fill=\"{colour}\">{E(LaneName(lane))}</text>" +
                   $"<text x=\"{x}\" y=\"35\" text-anchor=\"middle\" class=\"lane-mode\">{E(mode)}</text></g>\n");
    }

    private static int StepRow(StringBuilder svg, Layout at, int number, Transition t, Catalogue cat, int y, bool finding, Dictionary<int, int> born)
    {
        var actor = Actor(t.Action);
        var mid = y + StepHeight / 2;
        var x = at.X(actor);
        svg.Append($"<g class=\"step{(finding ? " finding" : "")}\" data-step=\"{number}\">");
        svg.Append($"<rect x=\"2\" y=\"{y + 3}\" width=\"{at.Width - 4}\" height=\"{StepHeight - 6}\" rx=\"4\" fill=\"{(finding ? "#fde2e2" : "#f1f5f9")}\"/>");
        if (t.Action is NewInterp)
        {
            // Created from main: a dashed arrow to the new interpreter, whose lifeline starts here.
            born[actor] = mid;
            svg.Append($"<line x1=\"{at.X(Interp.Main)}\" y1=\"{mid}\" x2=\"{x - 13}\" y2=\"{mid}\" stroke=\"{Colour(actor)}\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" marker-end=\"url(#{at.Id}-{Interp.Name(actor)})\"/>");
        }
        else if (t.Action is Finalization)
        {
            var xs = at.Lanes.Select(at.X).ToList();
            svg.Append($"<line x1=\"{xs.Min()}\" y1=\"{mid}\" x2=\"{xs.Max()}\" y2=\"{mid}\" stroke=\"{Colour(Process)}\" stroke-width=\"5\" stroke-opacity=\"0.35\"/>");
        }
        var fill = finding ? FindingColour : Colour(actor);
        svg.Append($"<circle cx=\"{x}\" cy=\"{mid}\" r=\"12\" fill=\"{fill}\"/>" +
                   $"<text x=\"{x}\" y=\"{mid + 4}\" text-anchor=\"middle\" class=\"badge\">{number}</text>");
        var text = $"{number}. {ActionText.Describe(t.Action, cat)}";
        svg.Append($"<text x=\"{at.TextX}\" y=\"{mid + 5}\" class=\"step-text{(finding ? " finding-text" : "")}\">{E(text)}</text>");
        svg.Append("</g>\n");
        y += StepHeight;
        // What Python saw, when it was not a plain success: the ImportError or the predicted crash.
        if (t.Outcome.Kind != OutcomeKind.Ok)
            y = NoteRow(svg, at, y, $"\u21d2 {t.Outcome}", t.Outcome.Kind == OutcomeKind.Crash ? "outcome crash" : "outcome error");
        return y;
    }

    private static int EventRow(StringBuilder svg, Layout at, Event e, int number, int stepActor, Catalogue cat, int y, bool finding)
    {
        var mid = y + EventHeight / 2;
        var (from, to) = (Source(e, stepActor), Target(e));
        to = to == Unknown ? from : to;
        var owner = to;
        var colour = finding ? FindingColour : Colour(owner);
        var marker = $"{at.Id}-{(finding ? "finding" : LaneName(owner))}";
        svg.Append($"<g class=\"event{(finding ? " finding" : "")}\" data-event=\"{number}\" data-from=\"{LaneName(from)}\" data-to=\"{LaneName(to)}\">");
        if (finding) svg.Append($"<rect x=\"2\" y=\"{y}\" width=\"{at.Width - 4}\" height=\"{EventHeight}\" fill=\"#fde2e2\"/>");
        var (x1, x2) = (at.X(from), at.X(to));
        var width = finding ? 3 : e is RefEvent { IsForeign: true } ? 2 : 1.25;
        var dash = e is Switched ? " stroke-dasharray=\"4 3\"" : "";
        if (x1 != x2)
        {
            var end = x2 + (x2 > x1 ? -6 : 6);
            svg.Append($"<line x1=\"{x1}\" y1=\"{mid}\" x2=\"{end}\" y2=\"{mid}\" stroke=\"{colour}\" stroke-width=\"{width.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"{dash} marker-end=\"url(#{marker})\"/>");
            svg.Append($"<rect x=\"{x2 - 5}\" y=\"{mid - 5}\" width=\"10\" height=\"10\" rx=\"2\" fill=\"{Colour(owner)}\" stroke=\"{(finding ? FindingColour : "white")}\" stroke-width=\"{(finding ? 2 : 1)}\"/>");
        }
        else
            svg.Append(e is RefEvent
                ? $"<rect x=\"{x1 - 5}\" y=\"{mid - 5}\" width=\"10\" height=\"10\" rx=\"2\" fill=\"{Colour(owner)}\" stroke=\"{(finding ? FindingColour : "white")}\" stroke-width=\"{(finding ? 2 : 1)}\"/>"
                : $"<circle cx=\"{x1}\" cy=\"{mid}\" r=\"5\" fill=\"white\" stroke=\"{colour}\" stroke-width=\"2\"/>");
        if (finding)
            svg.Append($"<text x=\"{x2 + 10}\" y=\"{mid - 3}\" class=\"finding-mark\">\u2716</text>");
        var full = EventText.Describe(e, cat);
        var label = Label(e, cat);
        svg.Append($"<rect x=\"{at.TextX - 12}\" y=\"{mid - 4}\" width=\"8\" height=\"8\" rx=\"1\" fill=\"{Colour(owner)}\"/>");
        svg.Append($"<text x=\"{at.TextX}\" y=\"{mid + 4}\" class=\"event-text{(finding ? " finding-text" : "")}\">{E(Clip($"{number}: {label}", MaxLabel))}<title>{E($"event {number}: {full}")}</title></text>");
        svg.Append("</g>\n");
        return y + EventHeight;
    }

    private static int FindingRow(StringBuilder svg, Layout at, string message, int y)
    {
        svg.Append($"<g class=\"finding-message\"><rect x=\"{at.TextX - 16}\" y=\"{y + 2}\" width=\"{TextWidth + 10}\" height=\"{NoteHeight + 4}\" rx=\"4\" fill=\"{FindingColour}\"/>" +
                   $"<text x=\"{at.TextX - 6}\" y=\"{y + 18}\" class=\"finding-banner\">\u2716 {E(Clip(message, MaxLabel - 2))}<title>{E(message)}</title></text></g>\n");
        return y + NoteHeight + 8;
    }

    private static int NoteRow(StringBuilder svg, Layout at, int y, string text, string cls)
    {
        svg.Append($"<text x=\"{at.TextX}\" y=\"{y + 14}\" class=\"{cls}\">{E(Clip(text, MaxLabel))}<title>{E(text)}</title></text>\n");
        return y + NoteHeight;
    }

    private const int Unknown = int.MinValue;

    /// <summary>Who acts in an event: the actor it names, else the interpreter that took the step.</summary>
    private static int Source(Event e, int stepActor) => e switch
    {
        RefEvent r => r.Actor,
        InitRan i => i.Interp,
        Switched s => s.From,
        MCopyChanged m => m.Actor,
        CacheChanged c => c.Actor,
        Collected c => c.Interp,
        InterpLifecycle l => l.Interp,
        _ => stepActor,
    };

    /// <summary>Whose state an event touches: the owner of the object, the interpreter switched to, the holder of a table (the process for the shared one).</summary>
    private static int Target(Event e) => e switch
    {
        RefEvent r => r.Object.Owner,
        Switched s => s.To,
        MCopyChanged m => m.Holder < 0 ? Process : m.Holder,
        CacheChanged c => c.Holder < 0 ? Process : c.Holder,
        _ => Unknown,
    };

    /// <summary>An event in fewer words than the step report's: an object's allocator only when it is not its actor's.</summary>
    private static string Label(Event e, Catalogue cat) => e switch
    {
        RefEvent r => $"{(r.IsForeign ? "FOREIGN " : "")}{EventText.Op(r.Op)} by {Interp.Name(r.Actor)} of {Objects.Describe(r.Object, cat)} [{r.Id}]" +
                      (r.Object.Domain != r.ActorDomain ? $", from {Interp.Name(r.Object.Domain)}'s obmalloc" : ""),
        _ => EventText.Describe(e, cat),
    };

    private static string Clip(string s, int max) => max < 2 ? "" : s.Length <= max ? s : s[..(max - 1)] + "\u2026";

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
