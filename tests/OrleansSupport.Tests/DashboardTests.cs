using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrleansSupport.Tests;

/// <summary>The supervisors' numbers follow what happens in the queues, and capacity changes at run time.</summary>
[Collection(ClusterCollection.Name)]
public sealed class DashboardTests(ClusterFixture fixture)
{
    private async Task<HttpClient> SupervisorAsync() =>
        new(new HttpClientHandler { CookieContainer = await TestAccounts.LoginAsync(fixture.FrontendUrl, TestAccounts.SupervisorUserName, TestAccounts.SupervisorPassword) })
        {
            BaseAddress = fixture.FrontendUrl,
        };

    private static JsonElement Queue(JsonElement dashboard, string language) =>
        dashboard.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("language").GetString() == language).GetProperty("stats");

    [Fact]
    public async Task Waiting_served_and_abandoned_customers_show_on_the_dashboard()
    {
        using var supervisor = await SupervisorAsync();
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("ru"));
        var before = Queue(await supervisor.GetFromJsonAsync<JsonElement>("/api/dashboard"), "ru");

        var customers = new List<TestCustomer>();
        for (var i = 0; i < 3; i++)
        {
            customers.Add(await TestCustomer.QueuedAsync(fixture.Grains, "ru"));
        }

        var op = fixture.Grains.GetGrain<IOperatorGrain>($"dash-{Guid.NewGuid():N}");
        await op.Configure(["ru"], 1);
        await op.AcceptNext();
        await customers[2].Grain.EndByCustomer(customers[2].Secret);

        var after = Queue(await supervisor.GetFromJsonAsync<JsonElement>("/api/dashboard"), "ru");
        Assert.Equal(1, after.GetProperty("waiting").GetInt32());
        Assert.Equal(Sum(before, "servedPerMinute") + 1, Sum(after, "servedPerMinute"));
        Assert.Equal(Sum(before, "abandonedPerMinute") + 1, Sum(after, "abandonedPerMinute"));
        Assert.Equal(60, after.GetProperty("waitingPerMinute").GetArrayLength());
        Assert.Equal(1, after.GetProperty("waitingPerMinute")[59].GetInt32());
        await customers[1].Grain.EndByCustomer(customers[1].Secret);
        await customers[0].Grain.EndByCustomer(customers[0].Secret);
    }

    [Fact]
    public async Task A_supervisor_changes_an_operators_capacity_at_run_time_and_operators_cannot()
    {
        using var supervisor = await SupervisorAsync();
        var name = $"cap-{Guid.NewGuid():N}";
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, name, ["en"], capacity: 2);

        var changed = await supervisor.PutAsJsonAsync($"/api/operators/{name}/capacity", new { capacity = 5 });
        var invalid = await supervisor.PutAsJsonAsync($"/api/operators/{name}/capacity", new { capacity = 0 });
        var unknown = await supervisor.PutAsJsonAsync("/api/operators/nobody-at-all/capacity", new { capacity = 3 });
        using var asOperator = new HttpClient(new HttpClientHandler { CookieContainer = await TestAccounts.LoginAsync(fixture.FrontendUrl, name) }) { BaseAddress = fixture.FrontendUrl };
        var forbidden = await asOperator.PutAsJsonAsync($"/api/operators/{name}/capacity", new { capacity = 20 });

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.NotFound, HttpStatusCode.Forbidden), (changed.StatusCode, invalid.StatusCode, unknown.StatusCode, forbidden.StatusCode));
        Assert.Equal(5, (await fixture.Grains.GetGrain<IOperatorGrain>(name).GetView()).Capacity);
        Assert.Equal(HttpStatusCode.Forbidden, (await asOperator.GetAsync("/api/dashboard")).StatusCode);

        var row = (await supervisor.GetFromJsonAsync<JsonElement>("/api/dashboard")).GetProperty("operators").GetProperty("list").EnumerateArray()
            .Single(r => r.GetProperty("userName").GetString() == name);
        Assert.Equal((5, true), (row.GetProperty("capacity").GetInt32(), row.GetProperty("online").GetBoolean()));
    }

    [Fact]
    public async Task A_supervisor_changes_a_queues_hours_at_run_time_and_customers_feel_it_at_once()
    {
        using var supervisor = await SupervisorAsync();
        var customer = await TestCustomer.StartAsync(fixture.Grains, "ru");
        try
        {
            // It is noon in Moscow: closing the Russian queue from 13:00 on makes it closed now.
            var closed = await supervisor.PutAsJsonAsync("/api/languages/ru/hours", new { alwaysOpen = false, opens = "13:00", closes = "23:00" });
            var invalid = await supervisor.PutAsJsonAsync("/api/languages/ru/hours", new { alwaysOpen = false, opens = "25:00", closes = "23:00" });
            var unknown = await supervisor.PutAsJsonAsync("/api/languages/xx/hours", new { alwaysOpen = true });

            Assert.Equal((HttpStatusCode.NoContent, HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (closed.StatusCode, invalid.StatusCode, unknown.StatusCode));
            Assert.Equal("queue-closed", (await Assert.ThrowsAsync<SupportException>(() => customer.RequestOperator())).Code);
            var hours = await supervisor.GetFromJsonAsync<JsonElement>("/api/help/hours?language=ru");
            Assert.Equal(("13:00", false), (hours.GetProperty("opens").GetString(), hours.GetProperty("open").GetBoolean()));

            // Back to the configured 06:00-24:00: open again.
            Assert.Equal(HttpStatusCode.NoContent, (await supervisor.DeleteAsync("/api/languages/ru/hours")).StatusCode);
            Assert.Equal("ru", (await customer.RequestOperator()).Language);
        }
        finally
        {
            await fixture.Grains.GetGrain<ILanguageHoursGrain>("ru").Clear();
            await customer.Grain.EndByCustomer(customer.Secret);
        }
    }

    [Fact]
    public async Task The_orleans_dashboard_is_for_supervisors_only()
    {
        using var supervisor = await SupervisorAsync();
        using var anonymous = new HttpClient { BaseAddress = fixture.FrontendUrl };
        var operatorName = $"curious-{Guid.NewGuid():N}";
        using var asOperator = new HttpClient(new HttpClientHandler { CookieContainer = await TestAccounts.OperatorAsync(fixture.Grains, fixture.FrontendUrl, operatorName) })
        {
            BaseAddress = fixture.FrontendUrl,
        };

        var page = await supervisor.GetAsync("/orleans-dashboard/");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/orleans-dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asOperator.GetAsync("/orleans-dashboard/")).StatusCode);
    }

    private static int Sum(JsonElement stats, string property) => stats.GetProperty(property).EnumerateArray().Sum(e => e.GetInt32());
}
