using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrleansSupport.Email;
using OrleansSupport.HelpCenter;
using OrleansSupport.WebFrontend.Limits;

namespace OrleansSupport.WebFrontend.HelpCenter;

/// <summary>
/// Help → Customer Support: the catalog, the queues' hours, suggestion feedback and "Email us". Thin:
/// checks input, then reads the catalog or calls a grain.
/// </summary>
public static class HelpCenterApi
{
    public static IEndpointRouteBuilder MapHelpCenterApi(this IEndpointRouteBuilder app)
    {
        var help = app.MapGroup("/api/help");
        help.MapGet("/catalog", GetCatalog);
        help.MapGet("/hours", GetHoursAsync);
        help.MapPost("/feedback", PostFeedbackAsync)
            .RequireSupportLimit("feedback", l => l.Feedback, "Too much feedback from this browser or network");
        app.MapPost("/api/email-requests", PostEmailRequestAsync)
            .RequireSupportLimit("email-requests", l => l.EmailRequests, "Too many e-mail requests from this browser or network");
        return app;
    }

    private static Results<Ok<CatalogView>, ProblemHttpResult> GetCatalog(
        string? language, HelpCatalog catalog, IOptions<LanguageOptions> languages)
    {
        if (!HelpCatalogServiceCollectionExtensions.CatalogLanguages.Contains(language))
        {
            return UnknownLanguage();
        }

        var lang = language!;
        var view = new CatalogView(lang, [.. catalog.Categories.Select(c => new CategoryView(
            c.Id,
            c.Title.In(lang),
            [.. c.Questions.Select(q => new QuestionView(
                q.Id,
                q.Title.In(lang),
                q.OperatorCanHandle,
                q.PaymentOrRefund,
                [.. q.Suggestions.Select(s => new SuggestionView(s.Id, s.Text.In(lang)))]))]))]);
        return TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<HoursView>, ProblemHttpResult>> GetHoursAsync(
        string? language, IOptions<LanguageOptions> languages, LanguageHoursCache hours, [FromKeyedServices(SupportClock.Key)] TimeProvider clock)
    {
        if (languages.Value.Find(language) is null)
        {
            return UnknownLanguage();
        }

        var now = clock.GetUtcNow();
        var queue = await hours.GetAsync(language!);
        var fallback = queue.Fallback is { } code ? await hours.GetAsync(code) : null;
        return TypedResults.Ok(new HoursView(
            queue.Code, queue.Name, queue.IsOpenAt(now), queue.AlwaysOpen, queue.Opens, queue.Closes, queue.TimeZone,
            fallback?.Code, fallback?.Name, fallback?.IsOpenAt(now) ?? false));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> PostFeedbackAsync(FeedbackBody body, HelpCatalog catalog, IGrainFactory grains)
    {
        var question = catalog.FindQuestion(body.QuestionId);
        if (question is null || !question.Suggestions.Exists(s => s.Id == body.SuggestionId))
        {
            return TypedResults.Problem("Unknown question or suggestion.", statusCode: StatusCodes.Status400BadRequest);
        }

        await grains.GetGrain<IQuestionFeedbackGrain>(question.Id).Record(body.SuggestionId!, body.Solved);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<EmailReference>, ValidationProblem>> PostEmailRequestAsync(
        EmailRequestBody body, HelpCatalog catalog, IOptions<LanguageOptions> languages, IGrainFactory grains)
    {
        var draft = new EmailRequestDraft(body.Language ?? "", body.QuestionId ?? "", body.Email ?? "", body.OrderNumber ?? "", body.Text ?? "");
        var problems = EmailRequestRules.Validate(draft, catalog, languages.Value);
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var request = await grains.GetGrain<IEmailRequestGrain>(EmailRequestRules.NewReference()).Submit(draft);
        return TypedResults.Created((string?)null, new EmailReference(request.Reference));
    }

    private static ProblemHttpResult UnknownLanguage() =>
        TypedResults.Problem("Unknown language.", statusCode: StatusCodes.Status400BadRequest);
}
