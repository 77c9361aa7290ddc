namespace OrleansSupport;

/// <summary>
/// The languages that have an operator queue (configuration section "Support:Languages"). Shared by silos
/// and frontends so that both refuse the same unknown language.
/// </summary>
public sealed class LanguageOptions
{
    public const string SectionName = "Support:Languages";

    public List<string> Codes { get; set; } = [];

    public bool IsKnown(string? code) => code is not null && Codes.Contains(code, StringComparer.Ordinal);

    /// <summary>Throws a clear error for an unknown language; nothing else is touched.</summary>
    public void EnsureKnown(string? code)
    {
        if (!IsKnown(code))
        {
            throw new SupportException("unknown-language", $"Unknown language. Known languages: {string.Join(", ", Codes)}.");
        }
    }
}
