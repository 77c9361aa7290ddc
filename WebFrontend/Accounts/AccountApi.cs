using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using OrleansSupport.WebFrontend.Limits;

namespace OrleansSupport.WebFrontend.Accounts;

/// <summary>Login, logout, "who am I", and the supervisors' account management.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/api/account");
        account.MapPost("/login", LoginAsync);
        account.MapPost("/logout", LogoutAsync).RequireAuthorization();
        account.MapGet("/me", Me).RequireAuthorization();
        account.MapPost("/password", ChangePasswordAsync).RequireAuthorization();

        var accounts = app.MapGroup("/api/accounts").RequireAuthorization(p => p.RequireRole(SupportRoles.Supervisor));
        accounts.MapGet("/", ListAsync);
        accounts.MapPost("/", CreateAsync);
        accounts.MapPost("/{userName}/disable", (string userName, HttpContext http, IGrainFactory grains) => SetDisabledAsync(userName, true, http, grains));
        accounts.MapPost("/{userName}/enable", (string userName, HttpContext http, IGrainFactory grains) => SetDisabledAsync(userName, false, http, grains));
        return app;
    }

    public sealed record LoginBody(string? UserName, string? Password);

    public sealed record PasswordChangeBody(string? CurrentPassword, string? NewPassword);

    public sealed record NewAccountBody(string? UserName, string? DisplayName, string? Password, AccountRole Role = AccountRole.Operator);

    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> LoginAsync(
        LoginBody body, HttpContext http, IGrainFactory grains, IPasswordHasher<AccountView> hasher, LoginThrottle throttle, KnownBrowsers knownBrowsers)
    {
        var userName = AccountRules.Normalize(body.UserName);
        var limitedName = AccountRules.IsUserName(userName) ? userName : null; // no account can have another; keeps keys short
        var knownBrowser = limitedName is null ? null : knownBrowsers.IdFor(http, limitedName);

        // Out of attempts, even the right password waits, and a guesser learns nothing.
        if (throttle.TryAcquire(limitedName, http.Connection.RemoteIpAddress, knownBrowser) is { } refusal)
        {
            return HttpLimits.TooManyRequests(http, "logins", refusal, "Too many login attempts for this account or from this network");
        }

        var credentials = limitedName is null ? null : await grains.GetGrain<IAccountGrain>(limitedName).GetCredentials();

        // The same answer, in the same time, for an unknown name and a wrong password: a login form tells
        // nobody who exists. An unknown name is checked against a decoy hash, as slow as a real one.
        var (account, hash) = credentials is null ? (DecoyAccount, DecoyHash(hasher)) : (credentials.Account, credentials.PasswordHash);
        var verified = hasher.VerifyHashedPassword(account, hash, body.Password ?? "") != PasswordVerificationResult.Failed;
        if (credentials is null || credentials.Account.Disabled || string.IsNullOrEmpty(body.Password) || !verified)
        {
            return TypedResults.Problem("Wrong user name or password.", statusCode: StatusCodes.Status401Unauthorized);
        }

        knownBrowsers.Remember(http, account.UserName, knownBrowser);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.UserName),
                new Claim(ClaimTypes.GivenName, account.DisplayName),
                new Claim(ClaimTypes.Role, account.Role.ToString()),
                new Claim(SupportRoles.IssuedAtClaim, TimeProvider.System.GetUtcNow().ToString("O", CultureInfo.InvariantCulture)),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return TypedResults.Ok(account);
    }

    private static readonly AccountView DecoyAccount = new("decoy", "decoy", AccountRole.Operator);

    private static string? _decoyHash;

    /// <summary>A hash of a random password, made by this frontend's hasher with its settings (so as slow to check).</summary>
    private static string DecoyHash(IPasswordHasher<AccountView> hasher) =>
        _decoyHash ??= hasher.HashPassword(DecoyAccount, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));

    /// <summary>Signs out everywhere: this cookie, and any copy of it or of older ones, stop working.</summary>
    private static async Task<NoContent> LogoutAsync(HttpContext http, IGrainFactory grains)
    {
        await grains.GetGrain<IAccountGrain>(http.User.Identity!.Name!).SignOutEverywhere();
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>
    /// The signed-in user changes their own password, proving the current one (counted as a login attempt
    /// of this browser). Every login of the account ends, this one too: the page logs in again.
    /// </summary>
    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePasswordAsync(
        PasswordChangeBody body, HttpContext http, IGrainFactory grains, IPasswordHasher<AccountView> hasher, LoginThrottle throttle, KnownBrowsers knownBrowsers)
    {
        var userName = http.User.Identity!.Name!;
        if (throttle.TryAcquire(userName, http.Connection.RemoteIpAddress, knownBrowsers.IdFor(http, userName)) is { } refusal)
        {
            return HttpLimits.TooManyRequests(http, "logins", refusal, "Too many password attempts for this account or from this network");
        }

        var credentials = await grains.GetGrain<IAccountGrain>(userName).GetCredentials();
        if (credentials is null || string.IsNullOrEmpty(body.CurrentPassword)
            || hasher.VerifyHashedPassword(credentials.Account, credentials.PasswordHash, body.CurrentPassword) == PasswordVerificationResult.Failed)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["currentPassword"] = ["This is not your current password."] });
        }

        if (AccountRules.Validate(userName, credentials.Account.DisplayName, body.NewPassword).TryGetValue("password", out var problems))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["newPassword"] = problems });
        }

        await grains.GetGrain<IAccountGrain>(userName).ChangePassword(hasher.HashPassword(credentials.Account, body.NewPassword!));
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.NoContent();
    }

    /// <summary>A supervisor disables or enables an account; disabling ends its logins and consoles at once.</summary>
    private static async Task<Results<Ok<AccountView>, ProblemHttpResult>> SetDisabledAsync(string userName, bool disabled, HttpContext http, IGrainFactory grains)
    {
        var name = AccountRules.Normalize(userName);
        if (name == http.User.Identity!.Name)
        {
            return TypedResults.Problem("You cannot disable or enable your own account.", statusCode: StatusCodes.Status409Conflict);
        }

        try
        {
            return AccountRules.IsUserName(name)
                ? TypedResults.Ok(await grains.GetGrain<IAccountGrain>(name).SetDisabled(disabled))
                : throw new SupportException("unknown-account", "There is no such account.");
        }
        catch (SupportException ex) when (ex.Code == "unknown-account")
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status404NotFound);
        }
    }

    private static Ok<AccountView> Me(ClaimsPrincipal user) => TypedResults.Ok(new AccountView(
        user.Identity!.Name!,
        user.FindFirstValue(ClaimTypes.GivenName) ?? "",
        Enum.Parse<AccountRole>(user.FindFirstValue(ClaimTypes.Role)!)));

    private static async Task<Ok<AccountView[]>> ListAsync(IGrainFactory grains) =>
        TypedResults.Ok(await grains.GetGrain<IAccountDirectoryGrain>(0).List());

    private static async Task<Results<Created<AccountView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        NewAccountBody body, IGrainFactory grains, IPasswordHasher<AccountView> hasher)
    {
        var problems = AccountRules.Validate(body.UserName, body.DisplayName, body.Password);
        if (!Enum.IsDefined(body.Role))
        {
            problems["role"] = ["Operator or Supervisor."];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems);
        }

        var userName = AccountRules.Normalize(body.UserName);
        var draft = new AccountView(userName, body.DisplayName!.Trim(), body.Role);
        try
        {
            var created = await grains.GetGrain<IAccountGrain>(userName).Create(draft.DisplayName, hasher.HashPassword(draft, body.Password!), body.Role);
            return TypedResults.Created($"/api/accounts/{created.UserName}", created);
        }
        catch (SupportException ex) when (ex.Code == "account-exists")
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }
}
