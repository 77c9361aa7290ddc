namespace OrleansSupport.HelpCenter;

/// <summary>
/// The help center's frequent questions (shipped as help-center.json): categories, their questions, and
/// per question the self-service suggestions, whether an operator can handle it, and whether it is about
/// payment or refunds (only those may be e-mailed).
/// </summary>
public sealed class HelpCatalog
{
    public List<HelpCategory> Categories { get; set; } = [];

    private Dictionary<string, HelpQuestion> _questions = [];

    public HelpQuestion? FindQuestion(string? id) => id is not null && _questions.TryGetValue(id, out var q) ? q : null;

    /// <summary>The question, or a clear refusal naming the problem.</summary>
    public HelpQuestion EnsureQuestion(string? id) =>
        FindQuestion(id) ?? throw new SupportException("unknown-question", "Unknown question.");

    /// <summary>Builds the lookup; call once after loading and validating.</summary>
    public void Index() => _questions = Categories.SelectMany(c => c.Questions).ToDictionary(q => q.Id, StringComparer.Ordinal);
}

public sealed class HelpCategory
{
    public string Id { get; set; } = "";
    public LocalizedText Title { get; set; } = [];
    public List<HelpQuestion> Questions { get; set; } = [];
}

public sealed class HelpQuestion
{
    public string Id { get; set; } = "";
    public LocalizedText Title { get; set; } = [];
    public bool OperatorCanHandle { get; set; }
    public bool PaymentOrRefund { get; set; }
    public List<HelpSuggestion> Suggestions { get; set; } = [];
}

public sealed class HelpSuggestion
{
    public string Id { get; set; } = "";
    public LocalizedText Text { get; set; } = [];
}

/// <summary>A text per language code ("en", "ru").</summary>
public sealed class LocalizedText : Dictionary<string, string>
{
    public LocalizedText() : base(StringComparer.Ordinal)
    {
    }

    /// <summary>The text in <paramref name="language"/>, else in English.</summary>
    public string In(string language) => TryGetValue(language, out var text) ? text : this.GetValueOrDefault("en", "");
}
