using System.Net;

namespace OrleansSupport.Tests;

/// <summary>/metrics answers a scraper on the frontend's machine or a supervisor; /health and /alive anyone.</summary>
[Collection(ClusterCollection.Name)]
public sealed class MetricsAccessTests(ClusterFixture fixture)
{
    private const string Outside = "203.0.113.50";

    [Fact]
    public async Task Metrics_answer_loopback_and_supervisors_only_while_health_stays_public()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture);

        // Loopback, anonymous: the scrape answers (once a request has been measured, it shows).
        using var local = frontend.Http();
        (await local.GetAsync("/alive")).EnsureSuccessStatusCode();
        await Eventually.Async(() => ScrapeAsync(local), s => s.Status == HttpStatusCode.OK && s.Body.Contains("http_server_request_duration"));

        using var anonymous = frontend.Http(Outside);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);

        using var asOperator = frontend.Http(Outside, await TestAccounts.OperatorAsync(fixture.Grains, frontend.Url, "metrics-operator"));
        Assert.Equal(HttpStatusCode.Forbidden, (await asOperator.GetAsync("/metrics")).StatusCode);

        using var asSupervisor = frontend.Http(Outside, await TestAccounts.LoginAsync(frontend.Url, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword));
        var supervised = await ScrapeAsync(asSupervisor);
        Assert.Equal(HttpStatusCode.OK, supervised.Status);
        Assert.Contains("http_server_request_duration", supervised.Body);
    }

    private static async Task<(HttpStatusCode Status, string Body)> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
