namespace OrleansSupport;

/// <summary>
/// The languages that have an operator queue, with their hours and fallbacks (configuration section
/// "Support", key "Languages"). Shared by silos and frontends so that both refuse and allow the same.
/// </summary>
public sealed class LanguageOptions : IValidatedSettings
{
    public const string SectionName = "Support";

    public List<SupportLanguage> Languages { get; set; } = [];

    public IEnumerable<string> Codes => Languages.Select(l => l.Code);

    public SupportLanguage? Find(string? code) =>
        code is null ? null : Languages.Find(l => string.Equals(l.Code, code, StringComparison.Ordinal));

    public bool IsKnown(string? code) => Find(code) is not null;

    /// <summary>Throws a clear error for an unknown language; nothing else is touched.</summary>
    public SupportLanguage EnsureKnown(string? code) =>
        Find(code) ?? throw new SupportException("unknown-language", $"Unknown language. Known languages: {string.Join(", ", Codes)}.");

    /// <summary>Everything wrong with the settings, for a start-up that refuses to run on them.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        if (Languages.Count == 0)
        {
            problems.Add("Support:Languages must list at least one language.");
        }

        foreach (var language in Languages)
        {
            if (string.IsNullOrEmpty(language.Code) || language.Code.Length > 8 || !language.Code.All(char.IsAsciiLetterLower))
            {
                problems.Add($"Language code '{language.Code}' must be 1-8 lower-case letters.");
            }

            problems.AddRange(language.Validate());
            if (language.Fallback is { } fallback && (fallback == language.Code || !IsKnown(fallback)))
            {
                problems.Add($"Language '{language.Code}': fallback '{fallback}' must be another configured language.");
            }
        }

        problems.AddRange(Languages.GroupBy(l => l.Code).Where(g => g.Count() > 1).Select(g => $"Language '{g.Key}' is listed twice."));
        return problems;
    }
}
