using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;

namespace OrleansSupport.Tests;

/// <summary>Accounts for tests: created straight in the grain, logged in through the real login API.</summary>
public static class TestAccounts
{
    public const string Password = "correct horse battery";

    /// <summary>The first supervisor every test frontend creates from its configuration.</summary>
    public const string SupervisorUserName = "chief";
    public const string SupervisorPassword = "chief-password-1";

    private static readonly PasswordHasher<AccountView> Hasher = new();

    public static async Task EnsureAsync(IGrainFactory grains, string userName, AccountRole role = AccountRole.Operator)
    {
        var grain = grains.GetGrain<IAccountGrain>(userName);
        if (await grain.GetCredentials() is null)
        {
            var draft = new AccountView(userName, userName, role);
            await grain.Create(userName, Hasher.HashPassword(draft, Password), role);
        }
    }

    /// <summary>Logs in and returns the cookies, as a browser would keep them.</summary>
    public static async Task<CookieContainer> LoginAsync(Uri frontend, string userName, string password = Password)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = frontend };
        var response = await http.PostAsJsonAsync("/api/account/login", new { userName, password });
        response.EnsureSuccessStatusCode();
        return cookies;
    }

    public static async Task<CookieContainer> OperatorAsync(IGrainFactory grains, Uri frontend, string userName)
    {
        await EnsureAsync(grains, userName);
        return await LoginAsync(frontend, userName);
    }
}
