using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Text.Json.Serialization;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// One side of a chat that behaves like the real pages: when its frontend dies it connects to another,
/// catches up by sequence number, and re-sends an unacknowledged message with the same id.
/// </summary>
public sealed class ResilientParticipant : IAsyncDisposable
{
    private readonly Func<HubConnection, Task> _bind;
    private readonly Func<HubConnection, long, Task<SessionView>> _catchUp;
    private readonly Func<HubConnection, Guid, string, Task<ChatMessage>> _send;
    private readonly ConcurrentDictionary<long, ChatMessage> _received = new();
    private readonly string _hubPath;
    private readonly System.Net.CookieContainer _cookies;
    private HubConnection? _connection;

    private ResilientParticipant(
        string hubPath,
        System.Net.CookieContainer cookies,
        Func<HubConnection, Task> bind,
        Func<HubConnection, long, Task<SessionView>> catchUp,
        Func<HubConnection, Guid, string, Task<ChatMessage>> send)
    {
        _hubPath = hubPath;
        _cookies = cookies;
        _bind = bind;
        _catchUp = catchUp;
        _send = send;
    }

    /// <summary>Every message this side has seen, by sequence: pushed live or fetched when catching up.</summary>
    public IReadOnlyDictionary<long, ChatMessage> Received => _received;

    public List<ChatMessage> Acknowledged { get; } = [];

    public int Reconnects { get; private set; }

    public static ResilientParticipant Customer(string token) => new(
        "/hubs/customer",
        new System.Net.CookieContainer(),
        bind: c => c.InvokeAsync<SessionView>("Resume", token, 0L),
        catchUp: (c, after) => c.InvokeAsync<SessionView>("Resume", token, after),
        send: (c, id, text) => c.InvokeAsync<ChatMessage>("SendMessage", id, text));

    /// <summary>An operator logged in with <paramref name="cookies"/>; the login cookie works on every frontend.</summary>
    public static ResilientParticipant Operator(System.Net.CookieContainer cookies, Guid sessionId) => new(
        "/hubs/operator",
        cookies,
        bind: c => c.InvokeAsync<OperatorView>("SignIn", new[] { "en" }, SupportLimits.MaxOperatorCapacity),
        catchUp: (c, after) => c.InvokeAsync<SessionView>("GetChat", sessionId, after),
        send: (c, id, text) => c.InvokeAsync<ChatMessage>("SendMessage", sessionId, id, text));

    public async Task ConnectAsync(Uri frontend)
    {
        if (_connection is not null)
        {
            Reconnects++;
            await _connection.DisposeAsync();
        }

        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(frontend, _hubPath), o => o.Cookies = _cookies)
            .AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()))
            .Build();
        connection.On<ChatMessage>("Message", m => _received.TryAdd(m.Sequence, m));
        connection.On<Guid, ChatMessage>("Message", (_, m) => _received.TryAdd(m.Sequence, m));
        await connection.StartAsync();
        await _bind(connection);
        _connection = connection;
        await CatchUpAsync();
    }

    /// <summary>Fetches whatever came after the last message received without a gap before it.</summary>
    public async Task CatchUpAsync()
    {
        var view = await _catchUp(_connection!, ContiguousUntil());
        foreach (var message in view.Messages)
        {
            _received.TryAdd(message.Sequence, message);
        }
    }

    /// <summary>Sends until acknowledged, moving to <paramref name="fallback"/> if the frontend is gone.</summary>
    public async Task SendAsync(string text, Uri fallback)
    {
        var id = Guid.NewGuid();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // As the pages do: the acknowledgement is the sender's copy (its own push skips it).
                var sent = await _send(_connection!, id, text);
                Acknowledged.Add(sent);
                _received.TryAdd(sent.Sequence, sent);
                return;
            }
            catch (Exception) when (attempt < 10)
            {
                if (_connection!.State != HubConnectionState.Connected)
                {
                    await ConnectAsync(fallback);
                }
                else
                {
                    await Task.Delay(200);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private long ContiguousUntil()
    {
        long last = 0;
        while (_received.ContainsKey(last + 1))
        {
            last++;
        }

        return last;
    }
}
