using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http.Connections;
using OrleansSupport.WebFrontend.Accounts;

namespace OrleansSupport.Tests;

/// <summary>A caller of the matrix: a name for failure messages and the login cookie it presents, if any.</summary>
public sealed record Caller(string Name, string? Cookie)
{
    public override string ToString() => Name;
}

/// <summary>The callers of the IDOR matrix and the raw requests they make.</summary>
public static class Attackers
{
    public static Caller Anonymous { get; } = new("anonymous", null);

    /// <summary>A cookie in the right format that no frontend ever issued.</summary>
    public static Caller Forged { get; } = new(
        "forged cookie", "CfDJ8" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(180)).Replace('+', '-').Replace('/', '_').TrimEnd('='));

    /// <summary>A live login of a new account with <paramref name="role"/>.</summary>
    public static async Task<Caller> LoggedInAsync(ClusterFixture fixture, AccountRole role, string prefix)
    {
        var userName = $"{prefix}-{Guid.NewGuid():N}"[..30];
        await TestAccounts.EnsureAsync(fixture.Grains, userName, role);
        var cookies = await TestAccounts.LoginAsync(fixture.FrontendUrl, userName);
        return new Caller($"{role} {userName}", CookieOf(cookies, fixture.FrontendUrl));
    }

    /// <summary>Logs in, copies the cookie, logs out, and returns the copy: what a thief would replay.</summary>
    public static async Task<Caller> LoggedOutAsync(ClusterFixture fixture, AccountRole role)
    {
        var live = await LoggedInAsync(fixture, role, "gone");
        using var http = NewHttp(fixture.FrontendUrl);
        var logout = await http.SendAsync(Request(HttpMethod.Post, "/api/account/logout", live, null));
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        return live with { Name = $"logged-out {live.Name}" };
    }

    public static string CookieOf(CookieContainer cookies, Uri frontend) =>
        cookies.GetCookies(frontend)[AuthenticationSetup.CookieName]?.Value ?? throw new InvalidOperationException("No login cookie.");

    /// <summary>No cookie jar and no redirects: every request carries exactly the cookie the caller presents.</summary>
    public static HttpClient NewHttp(Uri frontend) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = frontend, Timeout = TimeSpan.FromSeconds(30) };

    public static HttpRequestMessage Request(HttpMethod method, string path, Caller caller, object? body)
    {
        var request = new HttpRequestMessage(method, path);
        if (caller.Cookie is { } cookie)
        {
            request.Headers.Add("Cookie", $"{AuthenticationSetup.CookieName}={cookie}");
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return request;
    }

    /// <summary>An operator hub connection presenting the caller's cookie, negotiated or straight over WebSockets.</summary>
    public static HubConnection OperatorHub(Uri frontend, Caller caller, bool skipNegotiation)
    {
        var cookies = new CookieContainer();
        if (caller.Cookie is { } cookie)
        {
            cookies.Add(frontend, new Cookie(AuthenticationSetup.CookieName, cookie));
        }

        return new HubConnectionBuilder()
            .WithUrl(new Uri(frontend, "/hubs/operator"), skipNegotiation ? HttpTransportType.WebSockets : HttpTransportType.WebSockets | HttpTransportType.LongPolling, o =>
            {
                o.Cookies = cookies;
                o.SkipNegotiation = skipNegotiation;
            })
            .Build();
    }
}
