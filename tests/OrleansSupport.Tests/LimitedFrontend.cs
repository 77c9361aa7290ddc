using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSupport.Tests;

/// <summary>
/// A frontend of its own for one test, on the shared cluster, with the Support:Limits the test names
/// (unnamed ones keep the fixture's generous values) and <see cref="TestRemoteAddress"/> to play networks.
/// </summary>
public sealed class LimitedFrontend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LimitedFrontend(WebApplication app)
    {
        _app = app;
        Url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public Uri Url { get; }

    public static async Task<LimitedFrontend> StartAsync(ClusterFixture fixture, params (string Name, int Value)[] limits)
    {
        var overrides = limits.ToDictionary(l => $"Support:Limits:{l.Name}", l => (string?)l.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new LimitedFrontend(await ClusterFixture.StartFrontendAsync(fixture.Cluster, fixture.Clock, overrides, TestRemoteAddress.AddTo));
    }

    /// <summary>A browser-like HTTP client: its own cookie jar (none with cookies: false), from <paramref name="address"/> when given.</summary>
    public HttpClient Http(string? address = null, CookieContainer? cookies = null, bool useCookies = true)
    {
        var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), UseCookies = useCookies }) { BaseAddress = Url };
        if (address is not null)
        {
            http.DefaultRequestHeaders.Add(TestRemoteAddress.Header, address);
        }

        return http;
    }

    /// <summary>A customer connection in the browser <paramref name="cookies"/>, from <paramref name="address"/> when given.</summary>
    public Task<CustomerClient> CustomerAsync(CookieContainer? cookies = null, string? address = null) =>
        CustomerClient.ConnectAsync(Url, cookies, o =>
        {
            if (address is not null)
            {
                o.Headers[TestRemoteAddress.Header] = address;
            }
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
