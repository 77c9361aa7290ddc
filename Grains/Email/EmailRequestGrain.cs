using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansSupport.HelpCenter;
using OrleansSupport.Storage;

namespace OrleansSupport.Email;

/// <inheritdoc cref="IEmailRequestGrain"/>
public sealed class EmailRequestGrain(
    [PersistentState("email-request", StorageNames.Default)] IPersistentState<EmailRequestState> state,
    HelpCatalog catalog,
    IOptions<LanguageOptions> languages,
    [FromKeyedServices(SupportClock.Key)] TimeProvider clock) : Grain, IEmailRequestGrain
{
    public async Task<EmailRequest> Submit(EmailRequestDraft draft)
    {
        var reference = this.GetPrimaryKeyString();
        if (!EmailRequestRules.IsReference(reference))
        {
            throw new SupportException("bad-reference", "Malformed reference number.");
        }

        if (state.State.Request is not null)
        {
            throw new SupportException("reference-taken", "This reference number is already in use.");
        }

        var problems = EmailRequestRules.Validate(draft, catalog, languages.Value);
        if (problems.Count > 0)
        {
            throw new SupportException("invalid-email-request", string.Join(" ", problems.Values.SelectMany(p => p)));
        }

        var request = new EmailRequest(
            reference, draft.Language, draft.QuestionId, draft.Email.Trim(), draft.OrderNumber.Trim(), draft.Text.Trim(), clock.GetUtcNow());
        state.State.Request = request;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IEmailInboxGrain>(0).Add(request);
        return request;
    }

    public Task<EmailRequest?> Get() => Task.FromResult(state.State.Request);
}

[GenerateSerializer, Alias("OrleansSupport.EmailRequestState")]
public sealed class EmailRequestState
{
    [Id(0)] public EmailRequest? Request { get; set; }
}
