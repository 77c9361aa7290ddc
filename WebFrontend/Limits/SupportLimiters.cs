using Microsoft.Extensions.Options;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>This frontend's limiters, made once from <see cref="LimitOptions"/>.</summary>
public sealed class SupportLimiters(IOptions<LimitOptions> options) : IDisposable
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    /// <summary>CustomerHub.StartSession: per client id and per address.</summary>
    public KeyAndAddressLimiter Sessions { get; } =
        new(options.Value.SessionsPerClientPerMinute, options.Value.SessionsPerAddressPerMinute, Minute);

    /// <summary>POST /api/email-requests: per client id and per address.</summary>
    public KeyAndAddressLimiter EmailRequests { get; } =
        new(options.Value.EmailRequestsPerClientPerHour, options.Value.EmailRequestsPerAddressPerHour, Hour);

    /// <summary>POST /api/account/login: per user name and per address.</summary>
    public KeyAndAddressLimiter Logins { get; } =
        new(options.Value.LoginAttemptsPerUserPerHour, options.Value.LoginAttemptsPerAddressPerHour, Hour);

    /// <summary>Customer hub calls per chat session (see HubCallLimitFilter).</summary>
    public KeyAndAddressLimiter CustomerCalls { get; } = new(options.Value.CustomerCallsPerSecond, 0, Second);

    /// <summary>Operator hub calls per operator account (see HubCallLimitFilter).</summary>
    public KeyAndAddressLimiter OperatorCalls { get; } = new(options.Value.OperatorCallsPerSecond, 0, Second);

    public void Dispose()
    {
        CustomerCalls.Dispose();
        OperatorCalls.Dispose();
        Sessions.Dispose();
        EmailRequests.Dispose();
        Logins.Dispose();
    }
}
