namespace Verify.Checker.Text;

/// <summary>"Did you mean" hints: the closest valid words by edit distance, and readable lists of choices.</summary>
internal static class Suggestions
{
    /// <summary>" Did you mean 'x'?" when a valid word is close enough to be a typo, else "".</summary>
    public static string DidYouMean(string given, IEnumerable<string> valid)
    {
        var best = valid
            .Select(v => (v, d: Distance(given.ToLowerInvariant(), v.ToLowerInvariant())))
            // Close enough to be a typo, and not a rewrite of a short word ('b' is no typo of 'a').
            .Where(x => x.d <= Math.Max(2, x.v.Length / 3) && x.d < given.Length)
            .OrderBy(x => x.d).ThenBy(x => x.v, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.v is null ? "" : $" Did you mean '{best.v}'?";
    }

    public static string List(IEnumerable<string> valid) => string.Join(", ", valid);

    /// <summary>Levenshtein distance, with a transposition counted as one edit (typos like "improt").</summary>
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
