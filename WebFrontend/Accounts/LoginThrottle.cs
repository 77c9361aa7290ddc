using System.Net;
using Microsoft.Extensions.Options;
using OrleansSupport.WebFrontend.Limits;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>
/// How many login attempts go through, counted before the password is checked (so parallel guesses cannot
/// slip through together). A browser that logged in to the account before has a limit of its own and
/// nothing else; any other attempt is limited per address, per account from that address, and per account
/// from everywhere together. So guessing from one network never locks the account for another network,
/// and guessing from anywhere never locks it for the operator's own browser.
/// </summary>
public sealed class LoginThrottle(IOptions<LimitOptions> options) : IDisposable
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private readonly KeyAndAddressLimiter _fromAddress =
        new(options.Value.LoginAttemptsPerUserAndAddressPerHour, options.Value.LoginAttemptsPerAddressPerHour, Hour);

    private readonly KeyAndAddressLimiter _perUser = new(options.Value.LoginAttemptsPerUserPerHour, 0, Hour);

    private readonly KeyAndAddressLimiter _knownBrowser = new(options.Value.LoginAttemptsPerKnownBrowserPerHour, 0, Hour);

    /// <param name="userName">The name tried, when it is a valid one (other names count per address only).</param>
    /// <param name="knownBrowser">The id of a browser known to that account (<see cref="KnownBrowsers"/>).</param>
    public Refusal? TryAcquire(string? userName, IPAddress? address, string? knownBrowser)
    {
        if (knownBrowser is not null)
        {
            return _knownBrowser.TryAcquire(knownBrowser, address: null);
        }

        var fromAddress = userName is not null && address is not null ? $"{userName} {KeyAndAddressLimiter.AddressKey(address)}" : userName;
        return _fromAddress.TryAcquire(fromAddress, address) ?? _perUser.TryAcquire(userName, address: null);
    }

    public void Dispose()
    {
        _fromAddress.Dispose();
        _perUser.Dispose();
        _knownBrowser.Dispose();
    }
}
