namespace OrleansSupport.WebFrontend.HelpCenter;

// What the help center API returns: the catalog in one language, with per question what the
// customer may do next (chat with an operator, e-mail).

public sealed record CatalogView(string Language, CategoryView[] Categories);

public sealed record CategoryView(string Id, string Title, QuestionView[] Questions);

public sealed record QuestionView(string Id, string Title, bool CanChat, bool CanEmail, SuggestionView[] Suggestions);

public sealed record SuggestionView(string Id, string Text);

public sealed record HoursView(
    string Language,
    string Name,
    bool Open,
    bool AlwaysOpen,
    string Opens,
    string Closes,
    string TimeZone,
    string? Fallback,
    string? FallbackName,
    bool FallbackOpen);

public sealed record FeedbackBody(string? QuestionId, string? SuggestionId, bool Solved);

public sealed record EmailRequestBody(string? Language, string? QuestionId, string? Email, string? OrderNumber, string? Text);

public sealed record EmailReference(string Reference);
