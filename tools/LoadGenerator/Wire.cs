using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace OrleansSupport.LoadGenerator;

/// <summary>How simulated clients connect, and how a message carries its send time to the other side.</summary>
public static class Wire
{
    public static HubConnection Connect(Uri frontend, string path, System.Net.CookieContainer? cookies = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(frontend, path), o =>
            {
                o.Cookies = cookies ?? new System.Net.CookieContainer();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                o.SkipNegotiation = cookies is null; // one round trip less for anonymous customers
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions = Json)
            .Build();

    /// <summary>
    /// One set of JSON options for every connection. Each options instance builds its own serialization
    /// metadata with reflection and generated code: with one per connection, P2's generator spent its
    /// samples reading attributes and finalizing generated code while it opened 500 connections a second,
    /// used 52-57 % of a core (now 42-43 %) and stalled for up to 333 ms (now ~100 ms), which showed as
    /// late and bunched queue numbers that the servers had sent on time.
    /// </summary>
    private static readonly JsonSerializerOptions Json = CreateJsonOptions();

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
