namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// Support:Limits: how much one browser (client-id cookie), one address or one user name may do on one
/// frontend. 0 turns a limit off. Message size and messages per second live with the session and
/// operator grains (<see cref="Sessions.RateLimit"/>), because they limit a session, not a frontend.
/// </summary>
public sealed class LimitOptions : IValidatedSettings
{
    public const string SectionName = "Support:Limits";

    /// <summary>New chats one browser may start per minute.</summary>
    public int SessionsPerClientPerMinute { get; set; } = 10;

    /// <summary>New chats per minute from one address: high, so shoppers behind one carrier NAT are not locked out.</summary>
    public int SessionsPerAddressPerMinute { get; set; } = 600;

    /// <summary>
    /// Resumes (reconnects, reloads) one browser may make per minute. Each resume with a made-up token
    /// still costs a grain activation and a storage read, so guessing is limited like new chats.
    /// </summary>
    public int ResumesPerClientPerMinute { get; set; } = 60;

    /// <summary>Resumes per minute from one address: high, for a carrier NAT reconnecting after a frontend died.</summary>
    public int ResumesPerAddressPerMinute { get; set; } = 6000;

    /// <summary>"Was this helpful?" answers one browser may send per hour.</summary>
    public int FeedbackPerClientPerHour { get; set; } = 100;

    /// <summary>"Was this helpful?" answers per hour from one address.</summary>
    public int FeedbackPerAddressPerHour { get; set; } = 5000;

    /// <summary>"Email us" requests one browser may send per hour (they land in the operators' inbox).</summary>
    public int EmailRequestsPerClientPerHour { get; set; } = 5;

    /// <summary>"Email us" requests per hour from one address, with or without a client cookie.</summary>
    public int EmailRequestsPerAddressPerHour { get; set; } = 300;

    /// <summary>Login attempts per user name per hour from one address (password guessing against one account).</summary>
    public int LoginAttemptsPerUserAndAddressPerHour { get; set; } = 30;

    /// <summary>Login attempts per user name per hour from all addresses together (guessing from many networks).</summary>
    public int LoginAttemptsPerUserPerHour { get; set; } = 300;

    /// <summary>Login attempts per hour from one address (password guessing across accounts).</summary>
    public int LoginAttemptsPerAddressPerHour { get; set; } = 300;

    /// <summary>
    /// Login attempts per hour from a browser that logged in to the account before: the only limit it meets,
    /// so the guessing above never keeps an operator's own browser out.
    /// </summary>
    public int LoginAttemptsPerKnownBrowserPerHour { get; set; } = 30;

    /// <summary>
    /// Customer hub calls per second per chat session, of any method. The page sends a message at most
    /// twice a second (the session's own limit) and typing at most every 2 s: 20 leaves room for resumes.
    /// </summary>
    public int CustomerCallsPerSecond { get; set; } = 20;

    /// <summary>
    /// Operator hub calls per second per account, across its connections and chats. A person sends far
    /// fewer; the load generator's operators answer 20 chats at 2 messages a second each (40).
    /// </summary>
    public int OperatorCallsPerSecond { get; set; } = 100;

    /// <summary>Every problem at once, each naming its configuration key.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[]
                 {
                     (nameof(SessionsPerClientPerMinute), SessionsPerClientPerMinute),
                     (nameof(SessionsPerAddressPerMinute), SessionsPerAddressPerMinute),
                     (nameof(ResumesPerClientPerMinute), ResumesPerClientPerMinute),
                     (nameof(ResumesPerAddressPerMinute), ResumesPerAddressPerMinute),
                     (nameof(FeedbackPerClientPerHour), FeedbackPerClientPerHour),
                     (nameof(FeedbackPerAddressPerHour), FeedbackPerAddressPerHour),
                     (nameof(EmailRequestsPerClientPerHour), EmailRequestsPerClientPerHour),
                     (nameof(EmailRequestsPerAddressPerHour), EmailRequestsPerAddressPerHour),
                     (nameof(LoginAttemptsPerUserAndAddressPerHour), LoginAttemptsPerUserAndAddressPerHour),
                     (nameof(LoginAttemptsPerUserPerHour), LoginAttemptsPerUserPerHour),
                     (nameof(LoginAttemptsPerAddressPerHour), LoginAttemptsPerAddressPerHour),
                     (nameof(LoginAttemptsPerKnownBrowserPerHour), LoginAttemptsPerKnownBrowserPerHour),
                     (nameof(CustomerCallsPerSecond), CustomerCallsPerSecond),
                     (nameof(OperatorCallsPerSecond), OperatorCallsPerSecond),
                 })
        {
            if (value < 0)
            {
                problems.Add($"{SectionName}:{name} is {value}; it must be 0 (no limit) or a positive count.");
            }
        }

        return problems;
    }
}
