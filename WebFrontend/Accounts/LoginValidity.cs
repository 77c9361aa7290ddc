using System.Globalization;
using System.Security.Claims;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>A login is valid while its account exists, is not disabled, and has not signed out since the login was issued.</summary>
public static class LoginValidity
{
    public static async Task<bool> IsValidAsync(ClaimsPrincipal? principal, IGrainFactory grains)
    {
        var userName = principal?.Identity?.Name;
        var issued = principal?.FindFirst(SupportRoles.IssuedAtClaim)?.Value;
        var credentials = userName is null ? null : await grains.GetGrain<IAccountGrain>(userName).GetCredentials();
        return credentials is { Account.Disabled: false }
            && DateTimeOffset.TryParse(issued, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var issuedAt)
            && issuedAt > credentials.SignedOutAt;
    }
}
