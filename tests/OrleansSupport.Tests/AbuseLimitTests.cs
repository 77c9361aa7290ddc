using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrleansSupport.Email;
using OrleansSupport.WebFrontend.Accounts;
using OrleansSupport.WebFrontend.Limits;

namespace OrleansSupport.Tests;

/// <summary>
/// The frontend's limits (Support:Limits): new chats per browser and per address, e-mail requests, login
/// attempts. Each test starts its own frontend with low limits and checks that the flood gets a clear
/// refusal, that nothing changed because of a refused call, and that other browsers and networks go on.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class AbuseLimitTests(ClusterFixture fixture)
{
    private const string NetworkA = "203.0.113.7";
    private const string NetworkB = "198.51.100.9";

    [Fact]
    public async Task Every_response_gives_a_browser_without_one_an_http_only_client_id_cookie()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture);
        using var http = frontend.Http(useCookies: false);

        var first = await http.GetAsync("/");
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith(ClientIdCookie.Name + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", cookie.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase); // plain http here

        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/help/catalog?language=en");
        again.Headers.Add("Cookie", cookie.Split(';')[0]);
        var second = await http.SendAsync(again);
        Assert.False(second.Headers.TryGetValues("Set-Cookie", out _), "a browser that has an id keeps it");
    }

    [Fact]
    public async Task One_browser_starting_too_many_chats_is_refused_and_other_browsers_on_its_network_are_not()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("SessionsPerClientPerMinute", 3), ("SessionsPerAddressPerMinute", 0));
        var browser = new CookieContainer();
        var chats = new List<CustomerClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var chat = await frontend.CustomerAsync(browser);
                chats.Add(chat);
                await chat.StartAsync();
            }

            Assert.Single(browser.GetCookies(frontend.Url), c => c.Name == ClientIdCookie.Name); // one browser: one id for all its connections
            await using var fourth = await frontend.CustomerAsync(browser);
            var refusal = await Assert.ThrowsAsync<HubException>(() => fourth.StartAsync());
            Assert.Matches(@"rate-limited: Too many new chats from this browser; please try again in \d+ seconds\.", refusal.Message);

            // Nothing was made for the refused call, and the browser's chats are untouched.
            Assert.Contains("no-session:", (await Assert.ThrowsAsync<HubException>(() => fourth.RequestOperatorAsync())).Message);
            Assert.Equal(SessionStatus.Browsing, (await chats[0].ResumeAsync(chats[0].Token, 0)).Status);

            // Six more browsers on the same address (the per-address limit is off here: 0) all start.
            for (var i = 0; i < 6; i++)
            {
                var other = await frontend.CustomerAsync();
                chats.Add(other);
                Assert.Equal(SessionStatus.Browsing, (await other.StartAsync()).Status);
            }
        }
        finally
        {
            foreach (var chat in chats)
            {
                await chat.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task One_network_starting_too_many_chats_is_refused_and_another_network_is_not()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("SessionsPerClientPerMinute", 100), ("SessionsPerAddressPerMinute", 3));
        var chats = new List<CustomerClient>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var chat = await frontend.CustomerAsync(address: NetworkA); // three browsers behind one address
                chats.Add(chat);
                await chat.StartAsync();
            }

            await using var fourth = await frontend.CustomerAsync(address: NetworkA);
            var refusal = await Assert.ThrowsAsync<HubException>(() => fourth.StartAsync());
            Assert.Matches(@"rate-limited: Too many new chats from this network; please try again in \d+ seconds\.", refusal.Message);
            Assert.Contains("no-session:", (await Assert.ThrowsAsync<HubException>(() => fourth.RequestOperatorAsync())).Message);

            await using var elsewhere = await frontend.CustomerAsync(address: NetworkB);
            Assert.Equal(SessionStatus.Browsing, (await elsewhere.StartAsync()).Status);
        }
        finally
        {
            foreach (var chat in chats)
            {
                await chat.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_browser_flooding_email_requests_gets_429_with_retry_after_and_another_browser_is_not_slowed()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("EmailRequestsPerClientPerHour", 2), ("EmailRequestsPerAddressPerHour", 0));
        var marker = Guid.NewGuid().ToString("N");
        using var flooder = await BrowserAsync(frontend);
        Assert.Equal(HttpStatusCode.Created, (await PostEmailAsync(flooder, marker)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostEmailAsync(flooder, marker)).StatusCode);

        var refused = await PostEmailAsync(flooder, marker);
        await AssertTooManyAsync(refused, "Too many e-mail requests");

        // The flood goes on while another browser sends its request: it is served, and soon.
        using var other = await BrowserAsync(frontend);
        var flood = Enumerable.Range(0, 100).Select(_ => PostEmailAsync(flooder, marker)).ToArray();
        var clock = Stopwatch.StartNew();
        var served = await PostEmailAsync(other, marker);
        clock.Stop();
        Assert.Equal(HttpStatusCode.Created, served.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the other browser waited {clock.Elapsed}");
        Assert.All(await Task.WhenAll(flood), r => Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode));

        // Only the accepted requests reached the operators' inbox.
        var inbox = await TestInbox.AllAsync(fixture.Grains);
        Assert.Equal(3, inbox.Count(r => r.Text.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Email_requests_from_one_address_are_limited_with_or_without_a_client_cookie()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("EmailRequestsPerClientPerHour", 100), ("EmailRequestsPerAddressPerHour", 2));
        var marker = Guid.NewGuid().ToString("N");
        using var cookieless = frontend.Http(NetworkA, useCookies: false);
        Assert.Equal(HttpStatusCode.Created, (await PostEmailAsync(cookieless, marker)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostEmailAsync(cookieless, marker)).StatusCode);
        await AssertTooManyAsync(await PostEmailAsync(cookieless, marker), "Too many e-mail requests");

        // A fresh cookie does not buy more from the same address; another address is not affected.
        using var freshBrowser = await BrowserAsync(frontend, NetworkA);
        await AssertTooManyAsync(await PostEmailAsync(freshBrowser, marker), "Too many e-mail requests");
        using var elsewhere = frontend.Http(NetworkB, useCookies: false);
        Assert.Equal(HttpStatusCode.Created, (await PostEmailAsync(elsewhere, marker)).StatusCode);

        var inbox = await TestInbox.AllAsync(fixture.Grains);
        Assert.Equal(3, inbox.Count(r => r.Text.Contains(marker, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Password_guessing_on_one_account_is_stopped_and_the_right_password_waits_on_that_network_only()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("LoginAttemptsPerUserAndAddressPerHour", 3), ("LoginAttemptsPerAddressPerHour", 0));
        await TestAccounts.EnsureAsync(fixture.Grains, "limit-target");
        await TestAccounts.EnsureAsync(fixture.Grains, "limit-bystander");
        var cookies = new CookieContainer();
        using var guesser = frontend.Http(NetworkA, cookies);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(guesser, "limit-target", $"guess-{i}")).StatusCode);
        }

        var refused = await LoginAsync(guesser, "limit-target", TestAccounts.Password);
        await AssertTooManyAsync(refused, "Too many login attempts");
        Assert.DoesNotContain(cookies.GetCookies(frontend.Url), c => c.Name == AuthenticationSetup.CookieName); // no login happened

        // Another account, from the same network, logs in at once; so does this one from another network.
        using var colleague = frontend.Http(NetworkA);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(colleague, "limit-bystander", TestAccounts.Password)).StatusCode);
        using var office = frontend.Http(NetworkB);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(office, "limit-target", TestAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task A_thousand_wrong_passwords_from_one_address_keep_out_neither_another_address_nor_a_browser_that_logged_in_before()
    {
        var defaults = new LimitOptions(); // the limits as shipped
        await using var frontend = await LimitedFrontend.StartAsync(
            fixture,
            (nameof(LimitOptions.LoginAttemptsPerUserAndAddressPerHour), defaults.LoginAttemptsPerUserAndAddressPerHour),
            (nameof(LimitOptions.LoginAttemptsPerUserPerHour), defaults.LoginAttemptsPerUserPerHour),
            (nameof(LimitOptions.LoginAttemptsPerAddressPerHour), defaults.LoginAttemptsPerAddressPerHour),
            (nameof(LimitOptions.LoginAttemptsPerKnownBrowserPerHour), defaults.LoginAttemptsPerKnownBrowserPerHour));
        await TestAccounts.EnsureAsync(fixture.Grains, "limit-operator");

        // The operator's own browser logged in yesterday, on the office network the attacker shares.
        var operatorsCookies = new CookieContainer();
        using var operatorsBrowser = frontend.Http(NetworkA, operatorsCookies);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(operatorsBrowser, "limit-operator", TestAccounts.Password)).StatusCode);
        Assert.Contains(operatorsCookies.GetAllCookies(), c => c.Name == KnownBrowsers.CookieName && c.HttpOnly);
        Assert.Equal(HttpStatusCode.NoContent, (await operatorsBrowser.PostAsync("/api/account/logout", null)).StatusCode);

        var attackersCookies = new CookieContainer();
        using var attacker = frontend.Http(NetworkA, attackersCookies);
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 1000; i++)
        {
            answers.Add((await LoginAsync(attacker, "limit-operator", $"guess-{i}")).StatusCode);
        }

        // The operator's own first login, from a browser not yet known, took one of this network's attempts.
        var guesses = defaults.LoginAttemptsPerUserAndAddressPerHour - 1;
        Assert.Equal(guesses, answers.Count(a => a == HttpStatusCode.Unauthorized));
        Assert.All(answers.Skip(guesses), a => Assert.Equal(HttpStatusCode.TooManyRequests, a));
        await AssertTooManyAsync(await LoginAsync(attacker, "limit-operator", TestAccounts.Password), "Too many login attempts");
        await AssertTooManyAsync(await LoginAsync(attacker, "limit-someone-else", "guess"), "Too many login attempts"); // the address is spent

        // A forged known-browser cookie is worth nothing.
        attackersCookies.Add(frontend.Url, new Cookie(KnownBrowsers.CookieName, "forged", "/api/account/login"));
        await AssertTooManyAsync(await LoginAsync(attacker, "limit-operator", TestAccounts.Password), "Too many login attempts");

        // The right password gets in from another network, and from the operator's browser on this one.
        using var elsewhere = frontend.Http(NetworkB);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(elsewhere, "limit-operator", TestAccounts.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(operatorsBrowser, "limit-operator", TestAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task Password_guessing_across_accounts_from_one_address_is_stopped_and_other_addresses_log_in()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("LoginAttemptsPerUserPerHour", 100), ("LoginAttemptsPerAddressPerHour", 3));
        await TestAccounts.EnsureAsync(fixture.Grains, "limit-sprayed");
        using var sprayer = frontend.Http(NetworkA);
        foreach (var name in new[] { "limit-a", "limit-b", "limit-c" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(sprayer, name, "password1")).StatusCode);
        }

        await AssertTooManyAsync(await LoginAsync(sprayer, "limit-sprayed", TestAccounts.Password), "Too many login attempts");
        using var office = frontend.Http(NetworkB);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(office, "limit-sprayed", TestAccounts.Password)).StatusCode);
    }

    [Fact]
    public async Task A_negative_limit_stops_the_frontend_at_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LimitedFrontend.StartAsync(
            fixture, ("SessionsPerClientPerMinute", -1), ("LoginAttemptsPerAddressPerHour", -5), ("OperatorCallsPerSecond", -2)));

        Assert.Contains("Support:Limits:SessionsPerClientPerMinute is -1", error.Message);
        Assert.Contains("Support:Limits:LoginAttemptsPerAddressPerHour is -5", error.Message);
        Assert.Contains("Support:Limits:OperatorCallsPerSecond is -2", error.Message);
    }

    [Fact]
    public void Addresses_count_as_ipv4_or_by_ipv6_slash_64_so_one_host_cannot_rotate_out_of_its_limit()
    {
        static string Key(string address) => KeyAndAddressLimiter.AddressKey(IPAddress.Parse(address));

        Assert.Equal(Key("2001:db8:1:2::1"), Key("2001:db8:1:2:ffff:eeee:dddd:cccc"));
        Assert.NotEqual(Key("2001:db8:1:2::1"), Key("2001:db8:1:3::1"));
        Assert.Equal("203.0.113.7", Key("::ffff:203.0.113.7"));
        Assert.NotEqual(Key("203.0.113.7"), Key("203.0.113.8"));
    }

    /// <summary>An HTTP client that has visited the help center once, so it holds a client-id cookie.</summary>
    private static async Task<HttpClient> BrowserAsync(LimitedFrontend frontend, string? address = null)
    {
        var cookies = new CookieContainer();
        var http = frontend.Http(address, cookies);
        (await http.GetAsync("/")).EnsureSuccessStatusCode();
        Assert.Single(cookies.GetCookies(frontend.Url), c => c.Name == ClientIdCookie.Name);
        return http;
    }

    private static Task<HttpResponseMessage> PostEmailAsync(HttpClient http, string marker) =>
        http.PostAsJsonAsync("/api/email-requests", new
        {
            language = "en", questionId = "payment.charged-twice", email = "buyer@example.com", orderNumber = "A-1029384",
            text = $"Charged twice ({marker})",
        });

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string userName, string password) =>
        http.PostAsJsonAsync("/api/account/login", new { userName, password });

    /// <summary>429, a Retry-After in seconds, and a ProblemDetails that says what happened and when to retry.</summary>
    internal static async Task AssertTooManyAsync(HttpResponseMessage response, string what)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After: {response.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("rate-limited", problem.GetProperty("code").GetString());
        Assert.Equal((int)retryAfter!.Value.TotalSeconds, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.StartsWith(what, problem.GetProperty("detail").GetString());
        Assert.Contains("please try again in", problem.GetProperty("detail").GetString());
    }
}
