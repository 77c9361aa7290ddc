using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>
/// Cookie login for operators and supervisors. APIs and hubs answer 401/403 instead of redirecting. Keys
/// that sign the cookies can be shared by every frontend (DataProtection:KeysDirectory), so a cookie from
/// one frontend works on another. A cookie issued before its account signed out is refused.
/// </summary>
public static class AuthenticationSetup
{
    public const string CookieName = "OrleansSupport.Auth";

    public static IServiceCollection AddSupportAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("OrleansSupport");
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(new DirectoryInfo(keys));
        }

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // http on loopback, https behind TLS
                o.ExpireTimeSpan = TimeSpan.FromHours(10);
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
                o.Events.OnValidatePrincipal = RejectSignedOutAsync;
            });
        services.AddAuthorization();
        return services;
    }

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>Checks the account still exists and has not signed out since this cookie was issued.</summary>
    private static async Task RejectSignedOutAsync(CookieValidatePrincipalContext context)
    {
        var grains = context.HttpContext.RequestServices.GetRequiredService<IGrainFactory>();
        if (!await LoginValidity.IsValidAsync(context.Principal, grains))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
