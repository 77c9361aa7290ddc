namespace OrleansSupport.Tests;

/// <summary>Reads a Content-Security-Policy header the way a browser decides whether inline script may run.</summary>
public static class CspHeader
{
    // Any of these lets markup that reached a page run script: inline code, eval, or scripts from anywhere.
    private static readonly string[] UnsafeSources = ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:", "http:", "https:"];

    /// <summary>Why the policy would let inline script run; empty when it forbids it.</summary>
    public static List<string> InlineScriptProblems(string? policy)
    {
        if (string.IsNullOrWhiteSpace(policy))
        {
            return ["no Content-Security-Policy header"];
        }

        var directives = policy.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(d => d[0].ToLowerInvariant())
            .ToDictionary(g => g.Key, g => g.First()[1..]); // a browser obeys the first of repeated directives

        // script-src falls back to default-src; the -elem and -attr variants override it for their part.
        var scriptSrc = directives.GetValueOrDefault("script-src") ?? directives.GetValueOrDefault("default-src");
        if (scriptSrc is null)
        {
            return [$"neither script-src nor default-src in '{policy}'"];
        }

        var problems = new List<string>();
        foreach (var (name, sources) in new[] { ("script-src", scriptSrc) }
            .Concat(new[] { "script-src-elem", "script-src-attr" }.Where(directives.ContainsKey).Select(n => (n, directives[n]))))
        {
            problems.AddRange(sources.Where(s => UnsafeSources.Contains(s, StringComparer.OrdinalIgnoreCase)).Select(s => $"{name} allows {s}"));
        }

        return problems;
    }
}
