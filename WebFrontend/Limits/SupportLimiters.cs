using Microsoft.Extensions.Options;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>This frontend's limiters, made once from <see cref="LimitOptions"/> (logins: <see cref="Accounts.LoginThrottle"/>).</summary>
public sealed class SupportLimiters(IOptions<LimitOptions> options) : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>CustomerHub.StartSession: per client id and per address.</summary>
    public KeyAndAddressLimiter Sessions { get; } =
        new(options.Value.SessionsPerClientPerMinute, options.Value.SessionsPerAddressPerMinute, Minute);

    /// <summary>CustomerHub.Resume: per client id and per address.</summary>
    public KeyAndAddressLimiter Resumes { get; } =
        new(options.Value.ResumesPerClientPerMinute, options.Value.ResumesPerAddressPerMinute, Minute);

    /// <summary>POST /api/help/feedback: per client id and per address.</summary>
    public KeyAndAddressLimiter Feedback { get; } =
        new(options.Value.FeedbackPerClientPerHour, options.Value.FeedbackPerAddressPerHour, Hour);

    /// <summary>POST /api/email-requests: per client id and per address.</summary>
    public KeyAndAddressLimiter EmailRequests { get; } =
        new(options.Value.EmailRequestsPerClientPerHour, options.Value.EmailRequestsPerAddressPerHour, Hour);

    /// <summary>Customer hub calls per chat session (see HubCallLimitFilter).</summary>
    public CallRateLimiter<Guid> CustomerCalls { get; } = new(options.Value.CustomerCallsPerSecond);

    /// <summary>Customer hub calls per connection, until the connection has a session.</summary>
    public CallRateLimiter<string> UnboundCustomerCalls { get; } = new(options.Value.CustomerCallsPerSecond);

    /// <summary>Operator hub calls per operator account (see HubCallLimitFilter).</summary>
    public CallRateLimiter<string> OperatorCalls { get; } = new(options.Value.OperatorCallsPerSecond);

    public void Dispose()
    {
        CustomerCalls.Dispose();
        UnboundCustomerCalls.Dispose();
        OperatorCalls.Dispose();
        Sessions.Dispose();
        Resumes.Dispose();
        Feedback.Dispose();
        EmailRequests.Dispose();
    }
}
