using OrleansSupport.Sessions;
using OrleansSupport.Storage;

namespace OrleansSupport.Email;

/// <inheritdoc cref="IEmailInboxGrain"/>
/// <remarks>
/// Holds the requests themselves, newest last, so operators read the inbox with one call. Adding is
/// idempotent by reference: a submit retried after a lost answer lists the request once.
/// </remarks>
public sealed class EmailInboxGrain(
    [PersistentState("email-inbox", StorageNames.Default)] IPersistentState<EmailInboxState> state) : Grain, IEmailInboxGrain
{
    public async Task Add(EmailRequest request)
    {
        if (state.State.Requests.Exists(r => r.Reference == request.Reference))
        {
            return;
        }

        state.State.Requests.Add(request);
        await state.WriteStateAsync();
    }

    public Task<EmailRequest[]> List() => Task.FromResult(state.State.Requests.ToArray());

    public async Task<EmailRequest> Answer(string reference, string operatorId, string answer)
    {
        var index = state.State.Requests.FindIndex(r => r.Reference == reference);
        if (index < 0)
        {
            throw new SupportException("unknown-reference", "No e-mail request has that reference.");
        }

        if (state.State.Requests[index].Answer is not null)
        {
            throw new SupportException("already-answered", "This request has been answered already.");
        }

        var answered = state.State.Requests[index] with { Answer = new EmailAnswer(operatorId, MessageText.Validate(answer), TimeProvider.System.GetUtcNow()) };
        state.State.Requests[index] = answered;
        await state.WriteStateAsync();
        return answered;
    }
}

[GenerateSerializer, Alias("OrleansSupport.EmailInboxState")]
public sealed class EmailInboxState
{
    [Id(0)] public List<EmailRequest> Requests { get; set; } = [];
}
