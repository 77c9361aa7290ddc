using Xunit.Abstractions;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansSupport.Tests;

/// <summary>Logins, roles and logout, through the frontend's real HTTP API and hubs.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AccountTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private HttpClient Browser(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = fixture.FrontendUrl };

    [Fact]
    public async Task The_first_supervisor_from_configuration_logs_in_and_creates_an_operator_who_can_work()
    {
        var cookies = await TestAccounts.LoginAsync(fixture.FrontendUrl, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword);
        using var supervisor = Browser(cookies);
        var userName = $"new-{Guid.NewGuid():N}"[..20];

        var created = await supervisor.PostAsJsonAsync("/api/accounts", new { userName, displayName = "Nina <b>Operator</b>", password = "a long enough password" });
        var again = await supervisor.PostAsJsonAsync("/api/accounts", new { userName, displayName = "Twice", password = "a long enough password" });
        var invalid = await supervisor.PostAsJsonAsync("/api/accounts", new { userName = "x", displayName = "", password = "short" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await invalid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order();
        Assert.Equal(["displayName", "password", "userName"], errors);
        Assert.Contains(await supervisor.GetFromJsonAsync<JsonElement[]>("/api/accounts") ?? [], a => a.GetProperty("userName").GetString() == userName);

        var operatorCookies = await TestAccounts.LoginAsync(fixture.FrontendUrl, userName.ToUpperInvariant(), "a long enough password");
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.FrontendUrl, "/hubs/operator"), o => o.Cookies = operatorCookies).Build();
        await hub.StartAsync();
        var view = await hub.InvokeAsync<OperatorView>("SignIn", new[] { "en" }, 2);
        Assert.Equal(userName, view.OperatorId);
    }

    [Fact]
    public async Task Wrong_passwords_and_unknown_names_get_the_same_refusal()
    {
        using var anonymous = Browser();
        var wrong = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = TestAccounts.SupervisorUserName, password = "guess-guess-guess" });
        var unknown = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "nobody-here", password = "guess-guess-guess" });
        var empty = await anonymous.PostAsJsonAsync("/api/account/login", new { userName = "", password = "" });

        Assert.All([wrong, unknown, empty], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(await wrong.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Anonymous_users_and_operators_are_refused_what_is_not_theirs()
    {
        using var anonymous = Browser();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/accounts", new { userName = "sneaky", displayName = "S", password = "0123456789ab" })).StatusCode);
        await using var anonymousHub = new HubConnectionBuilder().WithUrl(new Uri(fixture.FrontendUrl, "/hubs/operator")).Build();
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymousHub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var op = Browser(await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, $"plain-{Guid.NewGuid():N}"));
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.GetAsync("/api/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/accounts", new { userName = "sneaky", displayName = "S", password = "0123456789ab" })).StatusCode);
        Assert.Null(await fixture.Grains.GetGrain<IAccountGrain>("sneaky").GetCredentials());
    }

    [Fact]
    public async Task After_logout_a_copy_of_the_old_cookie_opens_nothing()
    {
        var userName = $"leaver-{Guid.NewGuid():N}";
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, userName);
        var stolen = new CookieContainer();
        stolen.Add(cookies.GetCookies(fixture.FrontendUrl));
        using var browser = Browser(cookies);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/account/logout", null)).StatusCode);

        using var thief = Browser(stolen);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.GetAsync("/api/account/me")).StatusCode);
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(fixture.FrontendUrl, "/hubs/operator"), o => o.Cookies = stolen).Build();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync())).StatusCode);

        // Logging in again works, with a new cookie.
        using var back = Browser(await TestAccounts.LoginAsync(fixture.FrontendUrl, userName));
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task A_console_left_open_is_closed_after_its_account_signs_out_on_another_frontend()
    {
        var userName = $"open-console-{Guid.NewGuid():N}";
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, userName);
        var (console, closed) = await SilentConsoleAsync(fixture.FrontendUrl, cookies);
        await using var _ = console;

        // The same person logs out in another tab, served by the other frontend.
        using var otherTab = new HttpClient(new HttpClientHandler { CookieContainer = await TestAccounts.LoginAsync(fixture.SecondFrontendUrl, userName) })
        {
            BaseAddress = fixture.SecondFrontendUrl,
        };
        Assert.Equal(HttpStatusCode.NoContent, (await otherTab.PostAsync("/api/account/logout", null)).StatusCode);
        await Task.Delay(OrleansSupport.WebFrontend.Hubs.SignedOutConnectionFilter.RecheckAfter + TimeSpan.FromMilliseconds(200));

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => console.InvokeAsync<OperatorView>("GetStatus"));
        Assert.True(refused.Message.Contains("signed-out", StringComparison.Ordinal) || console.State != HubConnectionState.Connected, refused.Message);
        await closed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Logging_out_closes_every_live_console_of_the_account_on_every_frontend_without_a_call()
    {
        var userName = $"many-consoles-{Guid.NewGuid():N}";
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, userName);
        var copy = new CookieContainer();
        copy.Add(cookies.GetCookies(fixture.FrontendUrl));
        var consoles = new[]
        {
            await SilentConsoleAsync(fixture.FrontendUrl, cookies),
            await SilentConsoleAsync(fixture.FrontendUrl, copy), // a copy of the same cookie, as in a second browser
            await SilentConsoleAsync(fixture.SecondFrontendUrl, await TestAccounts.LoginAsync(fixture.SecondFrontendUrl, userName)),
        };
        await using var other = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"stays-{Guid.NewGuid():N}", ["en"]);

        using var browser = Browser(cookies);
        var loggedOut = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/api/account/logout", null)).StatusCode);

        // None of them calls anything: the frontends close them. (Before, each stayed open until its next call.)
        // The bound only keeps a broken build from hanging; how fast they close is reported, not asserted.
        await Task.WhenAll(consoles.Select(c => c.Closed)).WaitAsync(TimeSpan.FromSeconds(10));
        output.WriteLine($"all 3 consoles closed {loggedOut.ElapsedMilliseconds} ms after the logout request was sent");
        Assert.All(consoles, c => Assert.Equal(HubConnectionState.Disconnected, c.Hub.State));
        Assert.Equal(HubConnectionState.Connected, other.Hub.State);
        foreach (var console in consoles)
        {
            await console.Hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_disabled_operator_is_cut_off_at_once_everywhere_and_logs_in_again_only_once_enabled()
    {
        var userName = $"disabled-{Guid.NewGuid():N}"[..30];
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, userName);
        var consoles = new[]
        {
            await SilentConsoleAsync(fixture.FrontendUrl, cookies),
            await SilentConsoleAsync(fixture.SecondFrontendUrl, await TestAccounts.LoginAsync(fixture.SecondFrontendUrl, userName)),
            await SilentConsoleAsync(fixture.FrontendUrl, cookies, startWork: false), // a console that only logged in
        };
        using var supervisor = Browser(await TestAccounts.LoginAsync(fixture.FrontendUrl, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword));

        var disabled = await supervisor.PostAsync($"/api/accounts/{userName}/disable", null);
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await disabled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disabled").GetBoolean());

        // Both consoles close without a call of theirs; the cookie and the right password open nothing.
        await Task.WhenAll(consoles.Select(c => c.Closed)).WaitAsync(TimeSpan.FromSeconds(10));
        using var browser = Browser(cookies);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/account/me")).StatusCode);
        using var stranger = Browser();
        var login = await stranger.PostAsJsonAsync("/api/account/login", new { userName, password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("Wrong user name or password.", await login.Content.ReadAsStringAsync()); // as for an unknown name
        Assert.Contains(await supervisor.GetFromJsonAsync<JsonElement[]>("/api/accounts") ?? [],
            a => a.GetProperty("userName").GetString() == userName && a.GetProperty("disabled").GetBoolean());

        // Not their own account, not an account that does not exist.
        Assert.Equal(HttpStatusCode.Conflict, (await supervisor.PostAsync($"/api/accounts/{TestAccounts.SupervisorUserName}/disable", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await supervisor.PostAsync("/api/accounts/no-such-account/disable", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await supervisor.PostAsync($"/api/accounts/{userName}/enable", null)).StatusCode);
        await TestAccounts.LoginAsync(fixture.FrontendUrl, userName);
        foreach (var console in consoles)
        {
            await console.Hub.DisposeAsync();
        }
    }

    [Fact]
    public async Task Changing_the_password_ends_every_login_and_only_the_new_password_opens_the_account()
    {
        var userName = $"new-password-{Guid.NewGuid():N}"[..30];
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, userName);
        var elsewhere = await SilentConsoleAsync(fixture.SecondFrontendUrl, await TestAccounts.LoginAsync(fixture.SecondFrontendUrl, userName));
        using var browser = Browser(cookies);
        const string newPassword = "a brand new passphrase";

        // The current password must be proven, the new one must be acceptable; a refusal changes nothing.
        var wrong = await browser.PostAsJsonAsync("/api/account/password", new { currentPassword = "not it", newPassword });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("currentPassword", await wrong.Content.ReadAsStringAsync());
        var weak = await browser.PostAsJsonAsync("/api/account/password", new { currentPassword = TestAccounts.Password, newPassword = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Contains("newPassword", await weak.Content.ReadAsStringAsync());
        Assert.Equal(HubConnectionState.Connected, elsewhere.Hub.State);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/account/me")).StatusCode);

        var copyOfCookie = new CookieContainer(); // as a second browser holding the same login would
        copyOfCookie.Add(cookies.GetCookies(fixture.FrontendUrl));
        var changed = await browser.PostAsJsonAsync("/api/account/password", new { currentPassword = TestAccounts.Password, newPassword });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await elsewhere.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        using var copy = Browser(await TestAccounts.LoginAsync(fixture.FrontendUrl, userName, newPassword));
        using var copied = Browser(copyOfCookie);
        Assert.Equal(HttpStatusCode.Unauthorized, (await copied.GetAsync("/api/account/me")).StatusCode);
        using var someoneElse = Browser();
        var old = await someoneElse.PostAsJsonAsync("/api/account/login", new { userName, password = TestAccounts.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/account/me")).StatusCode);
        await elsewhere.Hub.DisposeAsync();
    }

    private sealed record SilentConsole(HubConnection Hub, Task Closed);

    /// <summary>A console that signs in to work (unless told not to), then only listens.</summary>
    private static async Task<SilentConsole> SilentConsoleAsync(Uri frontend, CookieContainer cookies, bool startWork = true)
    {
        var hub = new HubConnectionBuilder().WithUrl(new Uri(frontend, "/hubs/operator"), o => o.Cookies = cookies).Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await hub.StartAsync();
        if (startWork)
        {
            await hub.InvokeAsync<OperatorView>("SignIn", new[] { "en" }, 1);
        }

        return new SilentConsole(hub, closed.Task);
    }
}
