using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// `kill -9` of the only silo mid-chat, on the SQLite default, while the frontend and the customer's page
/// stay up: the page shows every operator line that was acknowledged, without the customer doing anything.
/// </summary>
[Collection(RealClusterCollection.Name)]
public sealed class SiloRestartPushTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const int LinesAfterRestart = 5;

    [Fact]
    public async Task The_open_page_receives_every_acknowledged_operator_line_after_the_silo_restarts()
    {
        var database = TestClusters.NewDatabasePath();
        try
        {
            await using var cluster = new LocalCluster($"Data Source={database}", postgres: false);
            await cluster.StartSiloAsync();
            var frontend = await cluster.StartFrontendAsync();
            var client = await cluster.ConnectClientAsync();

            var context = await browser.Browser.NewContextAsync();
            var page = await context.NewPageAsync();
            var toldToCatchUp = 0;
            page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
            {
                if (frame.Text?.Contains("\"target\":\"CatchUp\"", StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref toldToCatchUp);
                }
            };
            await page.GotoAsync(new Uri(frontend, "/chat.html?question=payment.charged-twice&language=en").ToString());
            await page.Locator("#livechat-help").ClickAsync();
            await Expect(page.Locator("#queue-number")).ToHaveTextAsync("You are number 1 in the queue");

            await using var op = await OperatorClient.SignInAsync(client, frontend, "restart-op", ["en"]);
            var sessionId = (await op.AcceptNextAsync())!.Value;
            await Expect(page.Locator("#send")).ToBeEnabledAsync();
            var acknowledged = new List<string> { (await SendUntilAcknowledgedAsync(op, sessionId, Guid.NewGuid(), "before the crash")).Text };
            var operatorLines = page.Locator("#transcript li.msg-operator .msg-text");
            await Expect(operatorLines).ToHaveTextAsync(acknowledged.ToArray());

            // A send reaches a silo that hangs, which then dies: the call fails at once, not after Orleans' 30 s.
            // The hang outlasts the frontend's 5 s renewal, so its registration is in flight at the kill too.
            await cluster.Silos[0].PauseAsync();
            var inFlightId = Guid.NewGuid();
            var inFlight = op.Hub.InvokeAsync<ChatMessage>("SendMessage", sessionId, inFlightId, "in flight at the crash");
            await Task.Delay(TimeSpan.FromSeconds(6));
            Assert.False(inFlight.IsCompleted, "the send was answered by a stopped silo");
            await cluster.Silos[0].KillAsync();
            var failure = await Assert.ThrowsAsync<HubException>(() => inFlight.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Contains("unavailable", failure.Message, StringComparison.Ordinal);

            // The silo comes back; the operator retries the send with its id, writes a few lines at once and
            // then nothing more: no later line shows the page a gap, so only a catch-up can bring these.
            await cluster.RestartSiloAsync(0);
            acknowledged.Add((await SendUntilAcknowledgedAsync(op, sessionId, inFlightId, "in flight at the crash")).Text);
            for (var i = 0; i < LinesAfterRestart; i++)
            {
                acknowledged.Add((await SendUntilAcknowledgedAsync(op, sessionId, Guid.NewGuid(), $"after the restart {i}")).Text);
            }

            // Every acknowledged line shows on the page, once, in order; the customer neither typed nor reloaded.
            await Expect(operatorLines).ToHaveTextAsync(acknowledged.ToArray(), new() { Timeout = 30_000 });

            // Lines pushed while the silos could not reach the frontend are caught up by the page itself when
            // the frontend tells it so. Whichever way each line came, the page was told (and shows each once).
            await Eventually.Async(() => Task.FromResult(Volatile.Read(ref toldToCatchUp)), told => told > 0);
            await Expect(operatorLines).ToHaveTextAsync(acknowledged.ToArray());
            var stored = (await client.GetGrain<ICustomerSessionGrain>(sessionId).GetForOperator("restart-op", 0)).Messages;
            Assert.Equal(acknowledged, stored.Where(m => m.Author == MessageAuthor.Operator).Select(m => m.Text));
            await context.CloseAsync();
        }
        finally
        {
            TestClusters.DeleteDatabase(database);
        }
    }

    /// <summary>As the console does: a send answered "unavailable" is sent again with the same id.</summary>
    private static async Task<ChatMessage> SendUntilAcknowledgedAsync(OperatorClient op, Guid sessionId, Guid id, string text)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await op.Hub.InvokeAsync<ChatMessage>("SendMessage", sessionId, id, text);
            }
            catch (HubException ex) when (ex.Message.Contains("unavailable", StringComparison.Ordinal) && attempt < 60)
            {
                await Task.Delay(500);
            }
        }
    }
}
