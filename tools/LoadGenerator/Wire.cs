using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace OrleansSupport.LoadGenerator;

/// <summary>How simulated clients connect, and how a message carries its send time to the other side.</summary>
public static class Wire
{
    /// <summary>
    /// A connection over WebSockets. An anonymous one (a customer) skips negotiation, one round trip less,
    /// and presents a browser id of its own, as a browser that has visited the shop before would: the
    /// frontend counts its per-browser limits by it. A signed-in one (an operator) keeps its login cookies.
    /// </summary>
    public static HubConnection Connect(Uri frontend, string path, CookieContainer? cookies = null)
    {
        var url = new Uri(frontend, path);
        if (cookies is not null)
        {
            return new HubConnectionBuilder()
                .WithUrl(url, o =>
                {
                    o.Cookies = cookies;
                    o.Transports = HttpTransportType.WebSockets;
                })
                .AddJsonProtocol(o => o.PayloadSerializerOptions = Json)
                .Build();
        }

        var browserId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var options = new HttpConnectionOptions
        {
            Url = url,
            Transports = HttpTransportType.WebSockets,
            SkipNegotiation = true,
            WebSocketFactory = async (context, cancel) =>
            {
                var socket = new ClientWebSocket();
                socket.Options.SetRequestHeader("Cookie", $"{BrowserIdCookie}={browserId}");
                await socket.ConnectAsync(context.Uri, NextHttp(), cancel);
                return socket;
            },
        };
        return new HubConnection(
            new HttpConnectionFactory(Options.Create(options), NullLoggerFactory.Instance), Protocol, new UriEndPoint(url), Services, NullLoggerFactory.Instance);
    }

    /// <summary>
    /// One set of JSON options for every connection. Each options instance builds its own serialization
    /// metadata with reflection and generated code: with one per connection, P2's generator spent its
    /// samples reading attributes and finalizing generated code while it opened 500 connections a second,
    /// used 52-57 % of a core (now 42-43 %) and stalled for up to 333 ms (now ~100 ms), which showed as
    /// late and bunched queue numbers that the servers had sent on time.
    /// </summary>
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

    /// <summary>The frontend's browser-id cookie (WebFrontend's ClientIdCookie.Name).</summary>
    private const string BrowserIdCookie = "OrleansSupport.Client";

    /// <summary>
    /// What anonymous connections share instead of building their own: HubConnectionBuilder builds a
    /// dependency-injection container for each connection, and a ClientWebSocket with a cookie container
    /// a handler of its own (a connection pool, its metrics and timers). At hundreds of new connections a
    /// second that is most of what the generator's CPU does. A HubConnection asks its services only for
    /// options, and disposes them with itself: it gets an empty provider.
    /// </summary>
    private static readonly IServiceProvider Services = new NoServices();

    private static readonly IHubProtocol Protocol = new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions { PayloadSerializerOptions = Json }));

    /// <summary>
    /// Several handlers, taken in turn: each keeps its connection pool under one lock, and with one
    /// handler the generator's threads spun on that lock for ~7 % of its CPU while it opened 1,000
    /// connections a second (P6 at --ramp 1000).
    /// </summary>
    private static readonly HttpMessageInvoker[] SharedHttp = Enumerable.Range(0, 16)
        .Select(_ => new HttpMessageInvoker(new SocketsHttpHandler { UseCookies = false, ConnectCallback = SourceAddresses.ConnectAsync }))
        .ToArray();

    private static long _connects;

    private static HttpMessageInvoker NextHttp() => SharedHttp[Interlocked.Increment(ref _connects) % SharedHttp.Length];

    private sealed class NoServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new Microsoft.AspNetCore.SignalR.JsonHubProtocolOptions().PayloadSerializerOptions;
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    /// <summary>"load|&lt;stopwatch timestamp&gt;|&lt;text&gt;": the receiver, in this process, reads the send time.</summary>
    public static string Stamp(string text) => $"load|{Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture)}|{text}";

    public static bool TryReadStamp(string text, out long sentAt)
    {
        sentAt = 0;
        var parts = text.Split('|', 3);
        return parts.Length == 3 && parts[0] == "load" && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out sentAt);
    }
}
