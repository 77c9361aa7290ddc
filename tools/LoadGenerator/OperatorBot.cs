using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using OrleansSupport.Sessions;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// One simulated operator: logs in, starts work, goes available, and answers every customer message
/// at once with a reply that carries its own send time.
/// </summary>
public sealed class OperatorBot(LoadOptions options, LoadMetrics metrics, Uri frontend, string userName, string password) : IAsyncDisposable
{
    private HubConnection? _hub;
    private Timer? _heartbeat;

    public async Task StartAsync(CancellationToken stop)
    {
        var cookies = new System.Net.CookieContainer();
        using (var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = frontend })
        {
            (await http.PostAsJsonAsync("/api/account/login", new { userName, password }, stop)).EnsureSuccessStatusCode();
        }

        var hub = Wire.Connect(frontend, "/hubs/operator", cookies);
        hub.On<Guid, ChatMessage>("Message", (sessionId, m) =>
        {
            var ledger = metrics.Chat(sessionId);
            if (!ledger.Received(byCustomer: false, m.Sequence))
            {
                Interlocked.Increment(ref metrics.Duplicated);
                return;
            }

            if (m.Author == MessageAuthor.Customer && Wire.TryReadStamp(m.Text, out var sentAt))
            {
                metrics.MessageArrived(sentAt);
                Interlocked.Increment(ref metrics.MessagesReceived);
                _ = ReplyAsync(hub, sessionId, ledger);
            }
        });
        await hub.StartAsync(stop);
        await hub.InvokeAsync<OrleansSupport.Operators.OperatorView>("SignIn", options.Languages.Keys.ToArray(), options.OperatorCapacity, stop);
        await hub.InvokeAsync<OrleansSupport.Operators.OperatorView>("SetAvailable", true, stop);
        _heartbeat = new Timer(_ => _ = hub.InvokeAsync("Heartbeat"), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
        _hub = hub;
    }

    private async Task ReplyAsync(HubConnection hub, Guid sessionId, LoadMetrics.ChatLedger ledger)
    {
        try
        {
            var sent = await hub.InvokeAsync<ChatMessage>("SendMessage", sessionId, Guid.NewGuid(), Wire.Stamp("answer"));
            ledger.Acked(byCustomer: false, sent.Sequence);
            Interlocked.Increment(ref metrics.MessagesSent);
        }
        catch (Exception ex)
        {
            metrics.Error("operator reply", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null)
        {
            await _heartbeat.DisposeAsync();
        }

        if (_hub is not null)
        {
            try
            {
                await _hub.InvokeAsync<OrleansSupport.Operators.OperatorView>("SetAvailable", false);
            }
            catch (Exception)
            {
                // Leaving anyway.
            }

            await _hub.DisposeAsync();
        }
    }
}
