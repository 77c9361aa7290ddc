namespace OrleansSupport.Email;

/// <summary>
/// Configuration "Support:EmailInbox": how long "Email us" requests stay in the operators' inbox, answered
/// or not, before they are deleted (the customer's own copy is the e-mail they get).
/// </summary>
public sealed class EmailInboxOptions : IValidatedSettings
{
    public const string SectionName = "Support:EmailInbox";

    /// <summary>Requests an operator's inbox shows at a time.</summary>
    public const int PageSize = 50;

    private static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    public TimeSpan KeepFor { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Every problem at once, each naming its configuration key.</summary>
    public List<string> Validate() =>
        KeepFor < TimeSpan.FromDays(1) || KeepFor > Longest
            ? [$"{SectionName}:{nameof(KeepFor)} is {KeepFor}; it must be at least 1 day and at most {Longest.TotalDays} days."]
            : [];
}
