namespace OrleansSupport.Tests;

/// <summary>A customer session driven straight through its grain, as the hub would.</summary>
public sealed record TestCustomer(Guid SessionId, byte[] Secret, ICustomerSessionGrain Grain)
{
    /// <summary>A payment question an operator can handle (and that may be e-mailed).</summary>
    public const string ChatQuestion = "payment.charged-twice";

    /// <summary>A purely informational question: self-service only.</summary>
    public const string SelfServiceQuestion = "accounts.change-language";

    public static async Task<TestCustomer> StartAsync(IGrainFactory grains, string language = "en", string questionId = ChatQuestion)
    {
        var id = Guid.NewGuid();
        var secret = SessionSecret.Create();
        var grain = grains.GetGrain<ICustomerSessionGrain>(id);
        await grain.Start(language, questionId, SessionSecret.Hash(secret));
        return new TestCustomer(id, secret, grain);
    }

    public static async Task<TestCustomer> QueuedAsync(IGrainFactory grains, string language = "en")
    {
        var customer = await StartAsync(grains, language);
        await customer.Grain.RequestOperator(customer.Secret);
        return customer;
    }

    public Task<QueuePlace> RequestOperator() => Grain.RequestOperator(Secret);

    public Task<SessionView> Resume(long afterSequence = 0) => Grain.Resume(Secret, afterSequence);

    public Task<ChatMessage> Say(string text) => Grain.SendCustomerMessage(Secret, Guid.NewGuid(), text);
}
