using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>
/// Browsers that logged in to an account before: a cookie, signed by this deployment's keys, naming the
/// account and a random id of the browser. Such a browser is counted by its own login limit only, so an
/// attacker guessing an operator's password from anywhere never keeps the operator's own browser out.
/// One account per browser: the last one that logged in there.
/// </summary>
public sealed class KnownBrowsers(IDataProtectionProvider dataProtection)
{
    public const string CookieName = "os-known-browser";

    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly ITimeLimitedDataProtector _protector =
        dataProtection.CreateProtector("OrleansSupport.KnownBrowser").ToTimeLimitedDataProtector();

    /// <summary>The browser's id when it logged in to <paramref name="userName"/> before (a forged or expired cookie: null).</summary>
    public string? IdFor(HttpContext http, string userName)
    {
        if (!http.Request.Cookies.TryGetValue(CookieName, out var cookie))
        {
            return null;
        }

        try
        {
            var (id, account) = Split(_protector.Unprotect(cookie));
            return account == userName ? id : null;
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>After a successful login: this browser is known to <paramref name="userName"/> for 90 days more.</summary>
    public void Remember(HttpContext http, string userName, string? id)
    {
        id ??= Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        http.Response.Cookies.Append(CookieName, _protector.Protect($"{id} {userName}", Lifetime), new CookieOptions
        {
            HttpOnly = true,
            Secure = http.Request.IsHttps,
            SameSite = SameSiteMode.Strict,
            Path = "/api/account/login", // read by the login only
            MaxAge = Lifetime,
            IsEssential = true,
        });
    }

    private static (string Id, string UserName) Split(string text)
    {
        var space = text.IndexOf(' ');
        return space > 0 ? (text[..space], text[(space + 1)..]) : throw new CryptographicException("Malformed known-browser cookie.");
    }
}
