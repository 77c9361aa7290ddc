namespace OrleansSupport.Email;

/// <summary>
/// Where the e-mail inbox keeps its requests: a row each, read a page at a time in submission order
/// (Silo/Storage/SqlEmailInboxStore.cs), so neither adding nor reading grows with the inbox.
/// </summary>
public interface IEmailInboxStore
{
    /// <summary>Stores a new request; one already stored under its reference is left as it is.</summary>
    Task AddAsync(EmailRequest request);

    /// <summary>As <see cref="AddAsync"/>, many at once in one transaction (the inbox moved over from its old state).</summary>
    Task AddManyAsync(IReadOnlyList<EmailRequest> requests);

    /// <summary>
    /// Up to <paramref name="count"/> requests in submission order (oldest first), after the one whose
    /// reference is <paramref name="after"/> (null: from the start; unknown: none).
    /// </summary>
    Task<EmailRequest[]> PageAsync(string? after, int count);

    Task<EmailRequest?> GetAsync(string reference);

    /// <summary>Stores <paramref name="answered"/> if its request has no answer yet; false when it had one.</summary>
    Task<bool> AnswerAsync(EmailRequest answered);

    /// <summary>Deletes the requests submitted before <paramref name="submittedBefore"/>; how many.</summary>
    Task<int> TrimAsync(DateTimeOffset submittedBefore);
}
