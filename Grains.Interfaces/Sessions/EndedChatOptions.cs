namespace OrleansSupport.Sessions;

/// <summary>
/// Configuration "Support:EndedChats": how long a finished chat's token still opens it (its transcript and
/// its rating). After that the token opens nothing, so the next person at a shared computer cannot read an
/// old conversation with a token left in the browser.
/// </summary>
public sealed class EndedChatOptions : IValidatedSettings
{
    public const string SectionName = "Support:EndedChats";

    private static readonly TimeSpan Longest = TimeSpan.FromDays(30);

    public TimeSpan ReadableFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Every problem at once, each naming its configuration key.</summary>
    public List<string> Validate() =>
        ReadableFor <= TimeSpan.Zero || ReadableFor > Longest
            ? [$"{SectionName}:{nameof(ReadableFor)} is {ReadableFor}; it must be more than 0 and at most {Longest.TotalDays} days."]
            : [];
}
