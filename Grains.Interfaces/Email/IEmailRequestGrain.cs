namespace OrleansSupport.Email;

/// <summary>One "Email us" request (key: its reference number, random and unguessable).</summary>
[Alias("OrleansSupport.Email.IEmailRequestGrain")]
public interface IEmailRequestGrain : IGrainWithStringKey
{
    /// <summary>Stores the request (validated again here) and lists it in the operators' inbox.</summary>
    [Alias("Submit")]
    Task<EmailRequest> Submit(EmailRequestDraft draft);

    [Alias("Get")]
    Task<EmailRequest?> Get();
}

/// <summary>The operators' list of e-mail requests (key: 0).</summary>
[Alias("OrleansSupport.Email.IEmailInboxGrain")]
public interface IEmailInboxGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task Add(EmailRequest request);

    /// <summary>
    /// Up to <paramref name="count"/> requests, oldest first, after the one whose reference is
    /// <paramref name="after"/> (null: from the oldest).
    /// </summary>
    [Alias("Page")]
    Task<EmailRequest[]> Page(string? after, int count);

    /// <summary>One request by its reference; null when there is none (or it was deleted with age).</summary>
    [Alias("Get")]
    Task<EmailRequest?> Get(string reference);

    /// <summary>An operator answers a request (the answer is kept with it) and closes it.</summary>
    [Alias("Answer")]
    Task<EmailRequest> Answer(string reference, string operatorId, string answer);
}
