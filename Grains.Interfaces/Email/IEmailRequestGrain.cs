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

    [Alias("List")]
    Task<EmailRequest[]> List();

    /// <summary>An operator answers a request (the answer is kept with it) and closes it.</summary>
    [Alias("Answer")]
    Task<EmailRequest> Answer(string reference, string operatorId, string answer);
}
