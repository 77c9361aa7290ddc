using System.Text.Json.Serialization;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

/// <summary>A real SignalR client over WebSockets, recording everything the server pushes to it.</summary>
public abstract class HubClient : IAsyncDisposable
{
    protected HubClient(Uri frontend, string path, System.Net.CookieContainer? cookies = null, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null)
    {
        Hub = new HubConnectionBuilder()
            .WithUrl(new Uri(frontend, path), o =>
            {
                o.Cookies = cookies ?? new System.Net.CookieContainer();
                configure?.Invoke(o);
            })
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
    }

    public HubConnection Hub { get; }

    protected static Channel<T> NewInbox<T>() => Channel.CreateUnbounded<T>();

    /// <summary>Waits for the next pushed item that satisfies <paramref name="match"/>, skipping others.</summary>
    public static async Task<T> NextAsync<T>(Channel<T> inbox, Func<T, bool>? match = null, int timeoutSeconds = 10)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        while (true)
        {
            var item = await inbox.Reader.ReadAsync(timeout.Token);
            if (match is null || match(item))
            {
                return item;
            }
        }
    }

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();
}

public sealed class CustomerClient : HubClient
{
    private CustomerClient(Uri frontend, System.Net.CookieContainer? cookies, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure)
        : base(frontend, "/hubs/customer", cookies, configure)
    {
        Hub.On<QueuePlace>(nameof(ICustomerClient.QueuePosition), p => Positions.Writer.TryWrite(p));
        Hub.On<ChatMessage>(nameof(ICustomerClient.Message), m => Messages.Writer.TryWrite(m));
        Hub.On<SessionStatus>(nameof(ICustomerClient.StatusChanged), s => Statuses.Writer.TryWrite(s));
        Hub.On<bool>(nameof(ICustomerClient.Typing), t => Typing.Writer.TryWrite(t));
        Hub.On<QueueClosedNotice>(nameof(ICustomerClient.QueueClosed), n => Closed.Writer.TryWrite(n));
    }

    public Channel<QueuePlace> Positions { get; } = NewInbox<QueuePlace>();
    public Channel<ChatMessage> Messages { get; } = NewInbox<ChatMessage>();
    public Channel<SessionStatus> Statuses { get; } = NewInbox<SessionStatus>();
    public Channel<bool> Typing { get; } = NewInbox<bool>();
    public Channel<QueueClosedNotice> Closed { get; } = NewInbox<QueueClosedNotice>();

    public string Token { get; private set; } = "";

    /// <summary>
    /// A connected customer. Each has its own browser (cookie jar, so its own client-id cookie) unless
    /// <paramref name="cookies"/> is shared; <paramref name="configure"/> can add headers and the like.
    /// </summary>
    public static async Task<CustomerClient> ConnectAsync(
        Uri frontend, System.Net.CookieContainer? cookies = null, Action<Microsoft.AspNetCore.Http.Connections.Client.HttpConnectionOptions>? configure = null)
    {
        var client = new CustomerClient(frontend, cookies, configure);
        await client.Hub.StartAsync();
        return client;
    }

    public async Task<SessionView> StartAsync(string language = "en", string questionId = TestCustomer.ChatQuestion)
    {
        var started = await Hub.InvokeAsync<SessionStarted>("StartSession", language, questionId);
        Token = started.SessionToken;
        return started.Session;
    }

    public Task<QueuePlace> RequestOperatorAsync() => Hub.InvokeAsync<QueuePlace>("RequestOperator");

    public Task<ChatMessage> SendAsync(string text, Guid? clientMessageId = null) =>
        Hub.InvokeAsync<ChatMessage>("SendMessage", clientMessageId ?? Guid.NewGuid(), text);

    public Task<SessionView> ResumeAsync(string token, long afterSequence) =>
        Hub.InvokeAsync<SessionView>("Resume", token, afterSequence);
}

public sealed class OperatorClient : HubClient
{
    private OperatorClient(Uri frontend, System.Net.CookieContainer cookies) : base(frontend, "/hubs/operator", cookies)
    {
        Hub.On<Guid>(nameof(IOperatorClient.ChatAssigned), id => Assigned.Writer.TryWrite(id));
        Hub.On<Guid, ChatMessage>(nameof(IOperatorClient.Message), (id, m) => Messages.Writer.TryWrite((id, m)));
        Hub.On<Guid, bool>(nameof(IOperatorClient.Typing), (id, t) => Typing.Writer.TryWrite((id, t)));
        Hub.On<Guid>(nameof(IOperatorClient.ChatEnded), id => Ended.Writer.TryWrite(id));
        Hub.On<Guid>(nameof(IOperatorClient.CustomerOffline), id => Presence.Writer.TryWrite((id, false)));
        Hub.On<Guid>(nameof(IOperatorClient.CustomerOnline), id => Presence.Writer.TryWrite((id, true)));
    }

    public Channel<Guid> Assigned { get; } = NewInbox<Guid>();
    public Channel<(Guid Session, ChatMessage Message)> Messages { get; } = NewInbox<(Guid, ChatMessage)>();
    public Channel<(Guid Session, bool IsTyping)> Typing { get; } = NewInbox<(Guid, bool)>();
    public Channel<Guid> Ended { get; } = NewInbox<Guid>();

    /// <summary>CustomerOffline (false) and CustomerOnline (true), in the order they came.</summary>
    public Channel<(Guid Session, bool Online)> Presence { get; } = NewInbox<(Guid, bool)>();

    /// <summary>An operator account (created when missing) logged in, connected, and started on its languages.</summary>
    public static async Task<OperatorClient> SignInAsync(IGrainFactory grains, Uri frontend, string operatorId, string[] languages, int capacity = 2)
    {
        var client = new OperatorClient(frontend, await TestAccounts.OperatorAsync(grains, frontend, operatorId));
        await client.Hub.StartAsync();
        await client.Hub.InvokeAsync<OperatorView>("SignIn", languages, capacity);
        return client;
    }

    public Task<Guid?> AcceptNextAsync() => Hub.InvokeAsync<Guid?>("AcceptNext");

    public Task<OperatorView> GetStatusAsync() => Hub.InvokeAsync<OperatorView>("GetStatus");

    public Task<ChatMessage> SendAsync(Guid sessionId, string text) =>
        Hub.InvokeAsync<ChatMessage>("SendMessage", sessionId, Guid.NewGuid(), text);
}
