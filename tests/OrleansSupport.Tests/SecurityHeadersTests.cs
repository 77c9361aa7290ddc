using System.Net;
using System.Net.Http.Json;

namespace OrleansSupport.Tests;

/// <summary>What every answer of the frontend tells the browser: no framing, no referrer, no sniffing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SecurityHeadersTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Pages_apis_and_the_orleans_dashboard_refuse_framing_and_send_no_referrer()
    {
        using var supervisor = new HttpClient(new HttpClientHandler
        {
            CookieContainer = await TestAccounts.LoginAsync(fixture.FrontendUrl, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword),
        }) { BaseAddress = fixture.FrontendUrl };

        foreach (var path in new[] { "/", "/operator.html", "/api/help/hours?language=en", $"{WebFrontend.FrontendApp.OrleansDashboardPath}/" })
        {
            using var response = await supervisor.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("no-referrer", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
            Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
            Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Contains("frame-ancestors 'none'", string.Join(",", response.Headers.GetValues("Content-Security-Policy")));
        }
    }

    [Theory]
    [InlineData("Line\nbreak")]
    [InlineData("Nul\0byte")]
    [InlineData("evil\u202Egnp.exe")]
    [InlineData("isolate\u2066x\u2069")]
    public async Task A_display_name_with_controls_or_direction_marks_is_refused(string displayName)
    {
        using var supervisor = new HttpClient(new HttpClientHandler
        {
            CookieContainer = await TestAccounts.LoginAsync(fixture.FrontendUrl, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword),
        }) { BaseAddress = fixture.FrontendUrl };
        var userName = $"named-{Guid.NewGuid():N}"[..24];
        var response = await supervisor.PostAsJsonAsync("/api/accounts/", new { userName, displayName, password = TestAccounts.Password, role = "Operator" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("displayName", await response.Content.ReadAsStringAsync());
        Assert.Null(await fixture.Grains.GetGrain<IAccountGrain>(userName).GetCredentials());
    }
}
