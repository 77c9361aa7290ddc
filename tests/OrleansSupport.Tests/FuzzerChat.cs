using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

/// <summary>A hub connection the fuzzer sends through, and how to get it back after the server closed it.</summary>
public sealed class FuzzTarget(string name, Type hubType, Func<Task<HubConnection>> connect)
{
    public string Name => name;

    public Type HubType => hubType;

    public HubConnection Connection { get; private set; } = null!;

    public async Task ReconnectAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }

        Connection = await connect();
    }
}

/// <summary>
/// The fuzzer's own connections: an unbound customer, a customer whose session has ended, and a chat
/// between a customer and an operator of capacity 1 (full, so no other customer can be handed to it).
/// Payloads may change this chat; nothing else.
/// </summary>
public sealed class FuzzerChat : IAsyncDisposable
{
    private FuzzerChat(FuzzTarget[] targets, Guid sessionId)
    {
        Targets = targets;
        SessionId = sessionId;
    }

    /// <summary>The client must be able to send nesting deeper than the server's limit of 64, to test that limit.</summary>
    public static readonly JsonSerializerOptions DeepJson = new() { MaxDepth = 1024 };

    public FuzzTarget[] Targets { get; }

    public Guid SessionId { get; }

    public static async Task<FuzzerChat> CreateAsync(ClusterFixture fixture)
    {
        var url = fixture.FrontendUrl;
        var cookies = await TestAccounts.OperatorAsync(fixture.Grains, url, $"fuzz-{Guid.NewGuid():N}"[..30]);
        var op = new FuzzTarget("operator", typeof(OperatorHub), async () =>
        {
            var hub = await StartAsync(url, "/hubs/operator", cookies);
            await hub.InvokeAsync<OperatorView>("SignIn", new[] { "en" }, 1);
            return hub;
        });
        await op.ReconnectAsync();

        var chatToken = await StartSessionAsync(url, TestCustomer.ChatQuestion, then: "RequestOperator");
        var sessionId = await op.Connection.InvokeAsync<Guid?>("AcceptNext") ?? throw new InvalidOperationException("The fuzzer's chat was not assigned.");
        var endedToken = await StartSessionAsync(url, TestCustomer.SelfServiceQuestion, then: "End");
        FuzzTarget[] targets =
        [
            op,
            new("chatting customer", typeof(CustomerHub), () => ResumedAsync(url, chatToken)),
            new("ended customer", typeof(CustomerHub), () => ResumedAsync(url, endedToken)),
            new("unbound customer", typeof(CustomerHub), () => StartAsync(url, "/hubs/customer", new CookieContainer())),
        ];
        foreach (var target in targets.Skip(1))
        {
            await target.ReconnectAsync();
        }

        return new FuzzerChat(targets, sessionId);
    }

    private static async Task<string> StartSessionAsync(Uri url, string questionId, string then)
    {
        await using var hub = await StartAsync(url, "/hubs/customer", new CookieContainer());
        var started = await hub.InvokeAsync<JsonElement>("StartSession", "en", questionId);
        await hub.InvokeCoreAsync(then, typeof(object), []);
        return started.GetProperty("sessionToken").GetString()!;
    }

    private static async Task<HubConnection> ResumedAsync(Uri url, string token)
    {
        var hub = await StartAsync(url, "/hubs/customer", new CookieContainer());
        await hub.InvokeAsync<JsonElement>("Resume", token, 0L);
        return hub;
    }

    private static async Task<HubConnection> StartAsync(Uri url, string path, CookieContainer cookies)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(url, path), o => o.Cookies = cookies)
            .AddJsonProtocol(o =>
            {
                o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter());
                o.PayloadSerializerOptions.MaxDepth = DeepJson.MaxDepth;
            })
            .Build();
        await hub.StartAsync();
        return hub;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var target in Targets)
        {
            await target.Connection.DisposeAsync();
        }
    }
}
