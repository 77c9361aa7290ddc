using System.Buffers.Text;
using System.Security.Cryptography;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// An anonymous, random id for each browser, so limits can count per browser instead of per address
/// (which a whole carrier NAT may share). It identifies nobody, is never logged, and ends with the
/// browser session. Anyone can drop it to get a new one: per-address limits stay as the backstop.
/// </summary>
public static class ClientIdCookie
{
    public const string Name = "OrleansSupport.Client";

    private const int RandomBytes = 16;

    /// <summary>The request's client id, or null when it has none (or one this frontend did not make).</summary>
    public static string? Of(HttpContext http) =>
        http.Request.Cookies.TryGetValue(Name, out var value) && IsWellFormed(value) ? value : null;

    /// <summary>Gives every response whose request came without a client id a new one.</summary>
    public static IApplicationBuilder UseClientIdCookie(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (Of(context) is null)
            {
                context.Response.Cookies.Append(Name, Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(RandomBytes)), new CookieOptions
                {
                    HttpOnly = true, // pages never need it; scripts cannot read or leak it
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                    Path = "/",
                    IsEssential = true,
                });
            }

            return next(context);
        });

    private static bool IsWellFormed(string? value) =>
        value is not null && Base64Url.IsValid(value, out var length) && length == RandomBytes;
}
