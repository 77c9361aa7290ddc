namespace OrleansSupport.Presence;

/// <summary>
/// Configuration "Support:Presence": how long a customer's last connection may be gone before they lose
/// their place. Waiting costs others little, so the queue's grace is short; a chat holds an operator's place
/// and a customer mid-conversation may be on a bad network, so its grace is longer. Both are measured from
/// when the frontends were first found holding no connection of the customer.
/// </summary>
public sealed class CustomerPresenceOptions : IValidatedSettings
{
    public const string SectionName = "Support:Presence";

    /// <summary>A waiting customer gone this long leaves the queue (they may rejoin, at the back).</summary>
    public int QueueGraceSeconds { get; set; } = 60;

    /// <summary>A chatting customer gone this long ends the chat as "customer left", freeing the operator.</summary>
    public int ChatGraceSeconds { get; set; } = 600;

    /// <summary>
    /// A waiting customer gone this long is passed over when an operator takes the next customer: they keep
    /// their place, and are served once back. 0: as soon as they are found gone.
    /// </summary>
    public int PassOverAfterSeconds { get; set; }

    public TimeSpan PassOverAfter => TimeSpan.FromSeconds(PassOverAfterSeconds);

    public TimeSpan QueueGrace => TimeSpan.FromSeconds(QueueGraceSeconds);

    public TimeSpan ChatGrace => TimeSpan.FromSeconds(ChatGraceSeconds);

    /// <summary>Every problem at once, each naming its configuration key.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { (nameof(QueueGraceSeconds), QueueGraceSeconds), (nameof(ChatGraceSeconds), ChatGraceSeconds) })
        {
            if (value < 1)
            {
                problems.Add($"{SectionName}:{name} is {value}; it must be at least 1 second.");
            }
        }

        if (PassOverAfterSeconds < 0)
        {
            problems.Add($"{SectionName}:{nameof(PassOverAfterSeconds)} is {PassOverAfterSeconds}; it must be 0 or more seconds.");
        }

        return problems;
    }
}
