using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using OrleansSupport.WebFrontend.Push;
using OrleansSupport.WebFrontend.Sessions;

namespace OrleansSupport.Tests;

/// <summary>A connection that stops reading costs only itself: it is closed, and nobody else waits for it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SlowReaderTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_stalled_page_is_closed_while_another_chat_on_its_frontend_keeps_getting_every_line()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));

        // Linux grows a socket's send buffer up to 4 MB even towards a reader that takes nothing, so a real
        // stalled tab takes minutes of chat to fill; a frontend whose sockets buffer 16 KB fills in a second.
        await using var frontend = await ClusterFixture.StartFrontendAsync(fixture.Cluster, fixture.Clock, configure: b => b.WebHost.UseSockets(o =>
            o.CreateBoundListenSocket = endpoint =>
            {
                var listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
                listener.SendBufferSize = 16 * 1024; // accepted sockets inherit it, and do not grow it
                return listener;
            }));
        var url = ClusterFixture.AddressOf(frontend);
        using var stalled = await StalledPage.OpenAsync(url);
        await stalled.InvokeAsync("StartSession", "\"en\"", $"\"{TestCustomer.ChatQuestion}\"");
        await stalled.InvokeAsync("RequestOperator");

        await using var op = await OperatorClient.SignInAsync(fixture.Grains, url, $"slow-{Guid.NewGuid():N}", ["en"]);
        var stalledSession = (await Eventually.Async(() => op.AcceptNextAsync(), id => id is not null))!.Value;
        await using var other = await CustomerClient.ConnectAsync(url);
        await other.StartAsync();
        await other.RequestOperatorAsync();
        var otherSession = (await op.AcceptNextAsync())!.Value;
        await HubClient.NextAsync(other.Statuses, s => s == SessionStatus.Chatting);

        // Lines of 4,000 Cyrillic letters (about 24 KB each as escaped JSON) fill the stalled page's socket and
        // pipes; then every typing push waits for it, until the frontend gives up on it.
        var longLine = new string('я', SupportLimits.MaxMessageLength);
        for (var i = 0; i < 20; i++)
        {
            await op.SendAsync(stalledSession, longLine);
        }

        var connections = frontend.Services.GetRequiredService<CustomerConnections>();
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 200; i++)
            {
                await op.Hub.InvokeAsync("Typing", stalledSession, i % 2 == 0);
            }

            // The other chat's line arrives while the stalled page is still open, or after it was closed.
            var line = $"still here {round}";
            await op.SendAsync(otherSession, line);
            await HubClient.NextAsync(other.Messages, m => m.Text == line);
        }

        // Closed by the frontend for its unread pushes (SignalR's own send timeout would close it 10 s after
        // its first blocked send, while holding up every push of the frontend meanwhile).
        Assert.Equal(1, frontend.Services.GetRequiredService<ConnectionOutboxes>().ClosedAsSlow);
        await Eventually.Async(() => Task.FromResult(connections.Of(stalledSession).Length), n => n == 0);
    }

    /// <summary>
    /// A customer page whose socket reads nothing after connecting: a tiny receive buffer and no reads, as a
    /// frozen tab or a stalled network would. It sends the SignalR handshake, its calls and a ping every
    /// second (so the server does not take it for gone), and never reads an answer.
    /// </summary>
    private sealed class StalledPage : IDisposable
    {
        private readonly ClientWebSocket _socket;
        private readonly Timer _pings;
        private int _invocation;

        private StalledPage(ClientWebSocket socket)
        {
            _socket = socket;
            _pings = new Timer(_ => _ = PingAsync(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }

        private async Task PingAsync()
        {
            try
            {
                await SendAsync("{\"type\":6}");
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or InvalidOperationException)
            {
                // closed by the server: what the test waits for
            }
        }

        public static async Task<StalledPage> OpenAsync(Uri frontend)
        {
            var handler = new SocketsHttpHandler
            {
                ConnectCallback = async (context, cancel) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024, NoDelay = true };
                    await socket.ConnectAsync(context.DnsEndPoint, cancel);
                    return new NetworkStream(socket, ownsSocket: true);
                },
            };
            var socket = new ClientWebSocket();
            var uri = new UriBuilder(new Uri(frontend, "/hubs/customer")) { Scheme = "ws" }.Uri;
            await socket.ConnectAsync(uri, new HttpMessageInvoker(handler), CancellationToken.None);
            var page = new StalledPage(socket);
            await page.SendAsync("{\"protocol\":\"json\",\"version\":1}");
            return page;
        }

        public Task InvokeAsync(string target, params string[] jsonArguments) =>
            SendAsync($"{{\"type\":1,\"invocationId\":\"{++_invocation}\",\"target\":\"{target}\",\"arguments\":[{string.Join(',', jsonArguments)}]}}");

        private Task SendAsync(string json) =>
            _socket.SendAsync(Encoding.UTF8.GetBytes(json + '\u001e'), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

        public void Dispose()
        {
            _pings.Dispose();
            _socket.Dispose();
        }
    }
}
