using Microsoft.Extensions.Options;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>This frontend's limiters, made once from <see cref="LimitOptions"/>.</summary>
public sealed class SupportLimiters(IOptions<LimitOptions> options) : IDisposable
{
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

    public void Dispose()
    {
        Sessions.Dispose();
        EmailRequests.Dispose();
        Logins.Dispose();
    }
}
