using System.Net;

namespace OrleansSupport.Tests;

/// <summary>
/// The IDOR matrix over HTTP: every endpoint the frontend routes (read from its EndpointDataSource, so a
/// new endpoint without a rule fails), against anonymous callers, a forged cookie, logged-out cookies of
/// an operator and a supervisor (401), and a live operator against supervisor functions (403). After
/// each refusal B's state is unchanged and nothing of B's shows in the answer. Controls prove each
/// request would have worked for the right caller.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IdorHttpMatrixTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Every_endpoint_refuses_callers_without_the_right_login()
    {
        await using var victim = await VictimScene.CreateAsync(fixture);

        // Russian hours get an override equal to the configured ones, so a DELETE that got through would show.
        await fixture.Grains.GetGrain<ILanguageHoursGrain>("ru").Set(new LanguageHours(false, "06:00", "24:00"));
        var cases = AccessMatrix.EndpointsOf(fixture.Frontend.Services, victim);
        Caller[] unauthenticated =
        [
            Attackers.Anonymous,
            Attackers.Forged,
            await Attackers.LoggedOutAsync(fixture, AccountRole.Operator),
            await Attackers.LoggedOutAsync(fixture, AccountRole.Supervisor),
        ];
        var op = await Attackers.LoggedInAsync(fixture, AccountRole.Operator, "op");
        var supervisor = await Attackers.LoggedInAsync(fixture, AccountRole.Supervisor, "sup");
        using var http = Attackers.NewHttp(fixture.FrontendUrl);
        var before = await StateSnapshot.TakeAsync(fixture.Grains, victim);
        var cells = 0;

        foreach (var endpoint in cases.Where(c => c.Rule.Access != Access.Anyone))
        {
            foreach (var caller in unauthenticated)
            {
                await AssertRefusedAsync(http, endpoint, caller, HttpStatusCode.Unauthorized, victim, before);
                cells++;
            }

            if (endpoint.Rule.Access == Access.Supervisor)
            {
                await AssertRefusedAsync(http, endpoint, op, HttpStatusCode.Forbidden, victim, before);
                cells++;
            }
        }

        // Public endpoints answer anyone, and show nothing of B's.
        foreach (var endpoint in cases.Where(c => c.Rule.Access == Access.Anyone))
        {
            var (status, body) = await SendAsync(http, endpoint, Attackers.Anonymous, victim);
            Assert.True(status is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden) && (int)status < 500, $"{endpoint} for anyone: {(int)status} {body}");
            victim.AssertNoLeak(body, $"anonymous {endpoint}");
        }

        Assert.True(cells >= 60, $"Only {cells} cells: the matrix lost its endpoints");
        await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, "the public endpoints");
        await AssertRightCallersGetThroughAsync(http, cases, op, supervisor, victim);
    }

    [Fact]
    public async Task Transcripts_and_email_requests_have_no_address_of_their_own()
    {
        await using var victim = await VictimScene.CreateAsync(fixture);
        var op = await Attackers.LoggedInAsync(fixture, AccountRole.Operator, "peek");
        using var http = Attackers.NewHttp(fixture.FrontendUrl);
        string[] guesses =
        [
            $"/api/email-requests/{victim.EmailReference}", "/api/email-requests", $"/api/sessions/{victim.SessionId}",
            $"/api/sessions/{victim.SessionId}/transcript", $"/api/transcripts/{victim.SessionId}", $"/api/chats/{victim.SessionId}",
            $"/hubs/customer/{victim.SessionId}", $"/{victim.SessionId}",
        ];

        foreach (var path in guesses)
        {
            foreach (var caller in new[] { Attackers.Anonymous, op })
            {
                var response = await http.SendAsync(Attackers.Request(HttpMethod.Get, path, caller, null));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed, $"{caller} GET {path}: {(int)response.StatusCode} {body}");
                victim.AssertNoLeak(body, $"{caller} GET {path}");
            }
        }
    }

    private async Task AssertRefusedAsync(HttpClient http, EndpointCase endpoint, Caller caller, HttpStatusCode expected, VictimScene victim, string before)
    {
        var cell = $"{caller} -> {endpoint.Method} {endpoint.Path} ({endpoint.Key})";
        var (status, body) = await SendAsync(http, endpoint, caller, victim);
        Assert.True(status == expected, $"{cell}: expected {(int)expected}, got {(int)status} {body}");
        victim.AssertNoLeak(body, cell);
        await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
    }

    /// <summary>The controls: with the right login each request gets past authorization.</summary>
    private static async Task AssertRightCallersGetThroughAsync(HttpClient http, EndpointCase[] cases, Caller op, Caller supervisor, VictimScene victim)
    {
        // Logout last: it ends the operator's login.
        foreach (var endpoint in cases.Where(c => c.Rule.Access != Access.Anyone).OrderBy(c => c.Path.EndsWith("/logout", StringComparison.Ordinal)))
        {
            var caller = endpoint.Rule.Access == Access.Supervisor ? supervisor : op;
            // Headers only: some Orleans Dashboard endpoints stream for as long as one listens.
            using var request = Attackers.Request(new HttpMethod(endpoint.Method), endpoint.Path, caller, endpoint.Rule.Body?.Invoke(victim));
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"control {caller} -> {endpoint}: {(int)response.StatusCode}");
        }
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, EndpointCase endpoint, Caller caller, VictimScene victim)
    {
        using var request = Attackers.Request(new HttpMethod(endpoint.Method), endpoint.Path, caller, endpoint.Rule.Body?.Invoke(victim));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
