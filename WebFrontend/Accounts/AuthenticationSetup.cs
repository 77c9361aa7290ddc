using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>
/// Cookie login for operators and supervisors. APIs and hubs answer 401/403 instead of redirecting. The keys
/// that sign the cookies belong to one deployment: its frontends share DataProtection:KeysDirectory (a
/// folder in the deployment's own data, readable by its user only), so a cookie from one frontend works on
/// another and a cookie from another deployment is refused. Cluster mode will not start without that
/// folder; a lone frontend without one keeps its keys in memory, and its logins end when it stops (the
/// OS user's shared key ring would accept cookies of every deployment run by the same user). A cookie
/// issued before its account signed out is refused.
/// </summary>
public static class AuthenticationSetup
{
    public const string CookieName = "OrleansSupport.Auth";

    public static IServiceCollection AddSupportAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var dataProtection = services.AddDataProtection().SetApplicationName("OrleansSupport");
        if (configuration["DataProtection:KeysDirectory"] is { Length: > 0 } keys)
        {
            dataProtection.PersistKeysToFileSystem(OwnerOnlyDirectory(keys));
        }
        else if (string.Equals(configuration["Cluster:Mode"], "AdoNet", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                "Cluster:Mode AdoNet needs DataProtection:KeysDirectory: a folder of this deployment that all its frontends share, for the keys that sign login cookies.");
        }
        else
        {
            dataProtection.UseEphemeralDataProtectionProvider();
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

    /// <summary>The keys are stored unencrypted: only the service's user may read them.</summary>
    private static DirectoryInfo OwnerOnlyDirectory(string path)
    {
        var directory = Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            directory.UnixFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        }

        return directory;
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
