using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Verify.Checker.Commands;
using Verify.Checker.Compare;
using Verify.Checker.Explore;
using Verify.Checker.Reports;
using Verify.Checker.Specs;
using Verify.Model;
using Verify.Properties;
using Xunit;

namespace Verify.Tests.Compare;

/// <summary>
/// compare.html from a real comparison of the built-in default spec (4 steps deep, to stay fast: 20 violated cells,
/// among them traces that end an interpreter and finalise): self-contained, a diagram for every violated cell with its
/// finding marked, lifelines for exactly the interpreters each trace uses, text escaped, and a page Chromium renders.
/// </summary>
public class CompareHtmlTests
{
    private sealed record Run(Comparison Comparison, string Html, string OutDir);

    private static readonly Lazy<Run> Shared = new(() =>
    {
        var spec = SpecFile.BuiltInCheckDefault();
        var outDir = Verify.Tests.Checker.CliRunner.TempDir();
        var settings = new CompareSettings(spec, spec.Semantics,
            new ExploreOptions { Properties = spec.Properties, MaxDepth = 4 },
            ReplaySetup.FindSemantics(CompareCommand.DefaultBaseline), Traces: 20, Length: 4, Seed: 1, outDir);
        var c = CompareRunner.Run(settings, Explorer.Run, CancellationToken.None);
        return new Run(c, CompareHtml.Render(c, "verify compare --depth 4"), outDir);
    });

    private static IEnumerable<(SemanticsRun Row, PropertyVerdict Verdict, int Index)> Violated(Comparison c) =>
        c.Rows.SelectMany(r => r.Result.Verdicts.Select((v, k) => (r, v, k))).Where(x => x.v.Verdict == Verdict.Violated);

    /// <summary>The text of each counterexample's article, by its anchor.</summary>
    private static Dictionary<string, string> Articles(string html) =>
        Regex.Matches(html, "<article class=\"cx\" id=\"([^\"]+)\".*?</article>", RegexOptions.Singleline)
            .ToDictionary(m => m.Groups[1].Value, m => m.Value);

    [Fact]
    public void The_page_loads_nothing_from_outside_itself()
    {
        var html = Shared.Value.Html;
        Assert.StartsWith("<!doctype html>", html);
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotMatch(new Regex(@"\ssrc\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("<link", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("@import", html);
        // Every url(...) is a reference to a marker inside the page, and every href an anchor of the page or a saved report.
        foreach (Match m in Regex.Matches(html, @"url\(([^)]*)\)"))
            Assert.Matches("^#[A-Za-z0-9_-]+$", m.Groups[1].Value);
        var ids = Regex.Matches(html, " id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        foreach (Match m in Regex.Matches(html, "href=\"([^\"]*)\""))
        {
            var target = m.Groups[1].Value;
            if (target.StartsWith('#')) Assert.Contains(target[1..], ids);
            else Assert.True(File.Exists(Path.Combine(Shared.Value.OutDir, target)), $"{target} is neither an anchor nor a saved report");
        }
    }

    [Fact]
    public void Every_violated_cell_links_to_its_own_diagram_with_the_finding_marked()
    {
        var (c, html, _) = Shared.Value;
        var violated = Violated(c).ToList();
        Assert.True(violated.Count >= 10, $"only {violated.Count} violated cells: the default spec at depth 4 should give many");
        var articles = Articles(html);
        Assert.Equal(violated.Count, articles.Count);
        Assert.Equal(violated.Count, Regex.Matches(html, "<svg class=\"sequence\"").Count);
        Assert.Equal(violated.Count, Regex.Matches(html, "<td class=\"violated\"[^>]*><a href=\"#cx-").Count);
        foreach (var (row, v, _) in violated)
        {
            var anchor = CompareHtml.AnchorOf(row.Semantics, v.Property.Name);
            Assert.Contains($"<a href=\"#{anchor}\">VIOLATED {v.Trace!.Length}</a>", html);
            var article = articles[anchor];
            Assert.Contains($"data-semantics=\"{row.Semantics.Name}\" data-property=\"{v.Property.Name}\"", article);
            Assert.Contains(WebUtility.HtmlEncode(v.Trace.Finding.Message), article);
            Assert.Contains("class=\"finding-message\"", article);
            Assert.Equal(v.Trace.Length, Regex.Matches(article, "<g class=\"step[ \"]").Count);
            // Exactly one thing is marked as the finding: the finding's event of the last step, or the last step itself.
            var marked = Regex.Matches(article, "<g class=\"(event|step) finding\" data-(event|step)=\"(\\d+)\"").ToList();
            Assert.Single(marked);
            if (v.Trace.Finding.EventIndex >= 0)
                Assert.Equal(("event", v.Trace.Finding.EventIndex + 1), (marked[0].Groups[1].Value, int.Parse(marked[0].Groups[3].Value)));
            else
                Assert.Equal(("step", v.Trace.Length), (marked[0].Groups[1].Value, int.Parse(marked[0].Groups[3].Value)));
        }
        // Only the violated cells of the matrix link anywhere.
        var matrix = Regex.Match(html, "<table class=\"matrix\">.*?</table>", RegexOptions.Singleline).Value;
        Assert.Equal(violated.Count, Regex.Matches(matrix, "<a href=").Count);
    }

    [Fact]
    public void A_diagram_has_a_lifeline_for_exactly_the_interpreters_its_saved_trace_uses()
    {
        var (c, html, outDir) = Shared.Value;
        var articles = Articles(html);
        var sizes = new List<int>();
        foreach (var (row, v, k) in Violated(c))
        {
            // From the saved trace file, not from the model: main, and every interpreter a step names.
            var steps = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, row.Saved[k]!.Trace)))!["steps"]!.AsArray();
            var expected = steps.Select(s => s!["I"] is { } i ? (int)i : 0).Append(0).Distinct().Order().Select(Interp.Name).ToList();
            var article = articles[CompareHtml.AnchorOf(row.Semantics, v.Property.Name)];
            var lifelines = Regex.Match(article, "data-lifelines=\"([^\"]*)\"").Groups[1].Value.Split(' ').ToList();
            Assert.Equal(expected, lifelines);
            var lanes = Regex.Matches(article, "<g class=\"lifeline\" data-lane=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(expected, lanes.Where(l => l != "process").ToList());
            // Every arrow starts and ends on a lane the diagram draws.
            foreach (Match m in Regex.Matches(article, "data-from=\"([^\"]+)\" data-to=\"([^\"]+)\""))
            {
                Assert.Contains(m.Groups[1].Value, lanes);
                Assert.Contains(m.Groups[2].Value, lanes);
            }
            sizes.Add(lifelines.Count);
        }
        // Not vacuous: some traces use only main, some one subinterpreter (not both slots).
        Assert.Contains(1, sizes);
        Assert.Contains(2, sizes);
    }

    [Fact]
    public void A_foreign_decref_is_an_arrow_from_the_actor_to_the_owner()
    {
        // 3.11, D1: creating sub1 decrefs main's sys dict from sub1 (semantics document), the 1-step counterexample.
        var (c, html, _) = Shared.Value;
        var row = c.Rows.Single(r => r.Semantics.Name == "cpython-3.11");
        var article = Articles(html)[CompareHtml.AnchorOf(row.Semantics, "no-cross-interpreter-decref")];
        var finding = Regex.Match(article, "<g class=\"event finding\"[^>]*>");
        Assert.Contains("data-from=\"sub1\" data-to=\"main\"", finding.Value);
        Assert.Contains("FOREIGN decref by sub1 of dict (sys) owned by main", article);
    }

    [Fact]
    public void Each_step_draws_at_most_the_cap_of_events_and_counts_the_rest()
    {
        var html = Shared.Value.Html;
        var more = 0;
        foreach (var svg in Regex.Matches(html, "<svg class=\"sequence\".*?</svg>", RegexOptions.Singleline).Select(m => m.Value))
            foreach (var step in svg.Split("<g class=\"step").Skip(1))
            {
                Assert.InRange(Regex.Matches(step, "<g class=\"event").Count, 0, DiagramSvg.MaxEventsPerStep);
                if (step.Contains("more notable event")) more++;
            }
        Assert.True(more > 0, "no step of these traces was long enough to be capped: the cap is untested");
    }

    [Fact]
    public void Every_text_from_the_input_is_escaped()
    {
        var (c, _, _) = Shared.Value;
        const string nasty = "<img onerror=\"x\"> & 'q'";
        var (row, v, k) = Violated(c).First();
        var verdicts = row.Result.Verdicts.ToList();
        verdicts[k] = v with { Trace = v.Trace! with { Finding = v.Trace.Finding with { Message = nasty } } };
        var changed = row with { Result = row.Result with { Verdicts = verdicts } };
        var rows = c.Rows.Select(r => r == row ? changed : r).ToList();
        var html = CompareHtml.Render(c with { Rows = rows }, "verify compare </title><script>alert(1)</script>");
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<script>alert", html);
        Assert.Contains(WebUtility.HtmlEncode(nasty), html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
    }

    [Fact]
    public void The_same_comparison_gives_the_same_bytes()
    {
        var (c, html, _) = Shared.Value;
        Assert.Equal(html, CompareHtml.Render(c, "verify compare --depth 4"));
        // Nothing from the clock: the times of the comparison are not on the page.
        var slower = c with { SearchTime = c.SearchTime + TimeSpan.FromMinutes(3), CostTime = TimeSpan.FromHours(1) };
        Assert.Equal(html, CompareHtml.Render(slower, "verify compare --depth 4"));
    }

    [Fact]
    public void Chromium_renders_the_page_with_its_diagrams()
    {
        const string chromium = "/usr/bin/chromium";
        Assert.SkipUnless(File.Exists(chromium), "Debian's chromium is not installed (apt-get install -y chromium)");
        var dir = Verify.Tests.Checker.CliRunner.TempDir();
        var page = Path.Combine(dir, "compare.html");
        File.WriteAllText(page, Shared.Value.Html);
        var png = Path.Combine(dir, "shot.png");
        var profile = Directory.CreateDirectory(Path.Combine(dir, "profile")).FullName;
        var start = new ProcessStartInfo(chromium)
        {
            ArgumentList =
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--force-color-profile=srgb",
                $"--user-data-dir={profile}", "--window-size=1400,3000", $"--screenshot={png}", new Uri(page).AbsoluteUri,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using (var p = Process.Start(start)!)
        {
            p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            p.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            if (!p.WaitForExit(TimeSpan.FromSeconds(90))) { p.Kill(entireProcessTree: true); Assert.Fail("chromium took more than 90 s"); }
        }
        Assert.True(File.Exists(png), "chromium wrote no screenshot");
        Assert.True(new FileInfo(png).Length > 50_000, $"the screenshot is only {new FileInfo(png).Length} bytes");
        var image = Png.Read(File.ReadAllBytes(png));
        Assert.Equal((1400, 3000), (image.Width, image.Height));
        var colours = image.Colours();
        Assert.True(colours.Count > 50, $"the screenshot has only {colours.Count} colours: a blank or uniform page");
        // The matrix's violated cells, the first diagram's finding banner and the lanes of main and sub1 are on screen.
        Assert.Contains((0xfe, 0xca, 0xca), colours);
        Assert.Contains((0xc8, 0x1e, 0x1e), colours);
        Assert.Contains((0x1f, 0x66, 0xb3), colours);
        Assert.Contains((0xd9, 0x77, 0x06), colours);
    }

    /// <summary>Just enough of PNG to read Chromium's screenshots: 8-bit RGB or RGBA, not interlaced.</summary>
    private sealed record Png(int Width, int Height, int Channels, byte[] Pixels)
    {
        public static Png Read(byte[] file)
        {
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], file[..4]);
            var (width, height, channels) = (0, 0, 0);
            var data = new MemoryStream();
            for (var at = 8; at < file.Length;)
            {
                var length = (file[at] << 24) | (file[at + 1] << 16) | (file[at + 2] << 8) | file[at + 3];
                var type = System.Text.Encoding.ASCII.GetString(file, at + 4, 4);
                var body = file.AsSpan(at + 8, length);
                if (type == "IHDR")
                {
                    width = (body[0] << 24) | (body[1] << 16) | (body[2] << 8) | body[3];
                    height = (body[4] << 24) | (body[5] << 16) | (body[6] << 8) | body[7];
                    Assert.Equal(8, body[8]);
                    channels = body[9] switch { 2 => 3, 6 => 4, var t => throw new InvalidDataException($"PNG colour type {t}") };
                    Assert.Equal(0, body[12]);
                }
                else if (type == "IDAT") data.Write(body);
                at += 12 + length;
            }
            data.Position = 0;
            using var z = new ZLibStream(data, CompressionMode.Decompress);
            var raw = new MemoryStream();
            z.CopyTo(raw);
            return new Png(width, height, channels, Unfilter(raw.ToArray(), width, height, channels));
        }

        private static byte[] Unfilter(byte[] raw, int width, int height, int bpp)
        {
            var stride = width * bpp;
            var pixels = new byte[stride * height];
            for (var y = 0; y < height; y++)
            {
                var filter = raw[y * (stride + 1)];
                for (var x = 0; x < stride; x++)
                {
                    var v = raw[y * (stride + 1) + 1 + x];
                    int a = x >= bpp ? pixels[y * stride + x - bpp] : 0, b = y > 0 ? pixels[(y - 1) * stride + x] : 0,
                        c = x >= bpp && y > 0 ? pixels[(y - 1) * stride + x - bpp] : 0;
                    pixels[y * stride + x] = (byte)(v + filter switch
                    {
                        0 => 0,
                        1 => a,
                        2 => b,
                        3 => (a + b) / 2,
                        4 => Paeth(a, b, c),
                        _ => throw new InvalidDataException($"PNG filter {filter}"),
                    });
                }
            }
            return pixels;
        }

        private static int Paeth(int a, int b, int c)
        {
            var p = a + b - c;
            var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }

        public HashSet<(int, int, int)> Colours()
        {
            var set = new HashSet<(int, int, int)>();
            for (var k = 0; k < Pixels.Length; k += Channels) set.Add((Pixels[k], Pixels[k + 1], Pixels[k + 2]));
            return set;
        }
    }
}
