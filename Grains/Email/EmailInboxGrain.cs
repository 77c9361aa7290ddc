using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrleansSupport.Sessions;
using OrleansSupport.Storage;

namespace OrleansSupport.Email;

/// <inheritdoc cref="IEmailInboxGrain"/>
/// <remarks>
/// The requests live in <see cref="IEmailInboxStore"/>, a row each: adding, answering and reading a page
/// cost the same however full the inbox is. The one activation serializes answers, so a request is
/// answered once. Adding is idempotent by reference: a submit retried after a lost answer lists the
/// request once. Requests older than <see cref="EmailInboxOptions.KeepFor"/> (support clock, as their
/// submission times) are deleted, at most once an hour, when one is added.
/// The grain state is what the inbox was before it moved to rows: moved over once, then cleared.
/// </remarks>
public sealed class EmailInboxGrain(
    [PersistentState("email-inbox", StorageNames.Default)] IPersistentState<EmailInboxState> state,
    IEmailInboxStore store,
    IOptions<EmailInboxOptions> options,
    [FromKeyedServices(SupportClock.Key)] TimeProvider clock) : Grain, IEmailInboxGrain
{
    private static readonly TimeSpan TrimEvery = TimeSpan.FromHours(1);

    private DateTimeOffset _trimmedAt = DateTimeOffset.MinValue;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Requests.Count > 0)
        {
            await store.AddManyAsync(state.State.Requests); // stored ones are left as they are: safe to repeat
            await state.ClearStateAsync();
        }
    }

    public async Task Add(EmailRequest request)
    {
        await store.AddAsync(request);
        var now = clock.GetUtcNow();
        if (now - _trimmedAt >= TrimEvery)
        {
            _trimmedAt = now;
            await store.TrimAsync(now - options.Value.KeepFor);
        }
    }

    // A reference no request can have names none: it never reaches the store.
    public Task<EmailRequest[]> Page(string? after, int count) =>
        after is null || EmailRequestRules.IsReference(after)
            ? store.PageAsync(after, Math.Clamp(count, 1, EmailInboxOptions.PageSize))
            : Task.FromResult<EmailRequest[]>([]);

    public Task<EmailRequest?> Get(string reference) =>
        EmailRequestRules.IsReference(reference) ? store.GetAsync(reference) : Task.FromResult<EmailRequest?>(null);

    public async Task<EmailRequest> Answer(string reference, string operatorId, string answer)
    {
        var request = await Get(reference)
            ?? throw new SupportException("unknown-reference", "No e-mail request has that reference.");
        if (request.Answer is not null)
        {
            throw new SupportException("already-answered", "This request has been answered already.");
        }

        var answered = request with { Answer = new EmailAnswer(operatorId, MessageText.Validate(answer), TimeProvider.System.GetUtcNow()) };
        return await store.AnswerAsync(answered)
            ? answered
            : throw new SupportException("already-answered", "This request has been answered already.");
    }
}

/// <summary>The inbox as it was stored before it moved to rows; read once, to move it over.</summary>
[GenerateSerializer, Alias("OrleansSupport.EmailInboxState")]
public sealed class EmailInboxState
{
    [Id(0)] public List<EmailRequest> Requests { get; set; } = [];
}
