using System.Net.Http.Json;
using System.Text.Json;
using OrleansSupport.Email;
using OrleansSupport.Operators;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

/// <summary>
/// The victim of the security tests: customer B chatting with their operator (who is full, so no
/// transfer or assignment can reach them), with a line from each side and an "Email us" request, all
/// carrying unique markers so a leak of any of them can be spotted in any response.
/// </summary>
public sealed class VictimScene : IAsyncDisposable
{
    private VictimScene(CustomerClient customer, OperatorClient op, string operatorId, Guid sessionId, string marker, string emailReference)
    {
        Customer = customer;
        Operator = op;
        OperatorId = operatorId;
        SessionId = sessionId;
        Marker = marker;
        EmailReference = emailReference;
    }

    public CustomerClient Customer { get; }

    public OperatorClient Operator { get; }

    public string OperatorId { get; }

    public Guid SessionId { get; }

    public byte[] Secret => SessionToken.Parse(Customer.Token).Secret;

    /// <summary>In B's lines, B's operator's line and B's e-mail request: nobody else may ever see it.</summary>
    public string Marker { get; }

    public string CustomerLine => $"my card 4111-{Marker}";

    public string OperatorLine => $"refund issued {Marker}";

    public string EmailAddress => $"victim-{Marker}@example.com";

    public string EmailReference { get; }

    /// <summary>Texts that must not appear in anything an attacker receives.</summary>
    public string[] Secrets => [Marker, SessionId.ToString("N"), SessionId.ToString("D"), EmailReference, Customer.Token];

    public static async Task<VictimScene> CreateAsync(ClusterFixture fixture)
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var customer = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var session = await customer.StartAsync();
        await customer.RequestOperatorAsync();
        var operatorId = $"victim-op-{Guid.NewGuid():N}"[..24];
        var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, operatorId, ["en"], capacity: 1);
        Assert.Equal(session.SessionId, await op.AcceptNextAsync());

        var scene = new VictimScene(customer, op, operatorId, session.SessionId, marker, await SubmitEmailAsync(fixture, marker));
        await customer.SendAsync(scene.CustomerLine);
        await op.SendAsync(session.SessionId, scene.OperatorLine);
        return scene;
    }

    private static async Task<string> SubmitEmailAsync(ClusterFixture fixture, string marker)
    {
        using var http = new HttpClient { BaseAddress = fixture.FrontendUrl };
        var created = await http.PostAsJsonAsync("/api/email-requests", new
        {
            language = "en", questionId = TestCustomer.ChatQuestion, email = $"victim-{marker}@example.com",
            orderNumber = "ORD-1", text = $"charged twice {marker}",
        });
        created.EnsureSuccessStatusCode();
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
    }

    /// <summary>Fails when <paramref name="text"/> carries any of B's secrets.</summary>
    /// <param name="sent">What the caller sent: what it already knew is no leak when it comes back.</param>
    public void AssertNoLeak(string? text, string where, string sent = "")
    {
        foreach (var secret in Secrets.Where(s => !sent.Contains(s, StringComparison.OrdinalIgnoreCase)))
        {
            Assert.False(text?.Contains(secret, StringComparison.OrdinalIgnoreCase) ?? false, $"{where} revealed the victim's data ({secret}): {text}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Customer.DisposeAsync();
        await Operator.DisposeAsync();
    }
}

/// <summary>
/// Everything an attack could change that the tests can read: B's session and transcript, B's operator,
/// the queues, accounts, the e-mail inbox, hours and canned replies. Compared as JSON, before and after.
/// </summary>
public static class StateSnapshot
{
    private static readonly string[] Languages = ["en", "ru"];

    public static async Task<string> TakeAsync(IGrainFactory grains, VictimScene victim)
    {
        var session = await grains.GetGrain<ICustomerSessionGrain>(victim.SessionId).Resume(victim.Secret, 0);
        var op = await grains.GetGrain<IOperatorGrain>(victim.OperatorId).GetView();
        var state = new
        {
            Session = session,
            Operator = new { op.Languages, op.Capacity, op.Available, op.ActiveChats },
            // The line itself; not its estimated pace, which is read against the clock and moves by itself.
            Queues = await Task.WhenAll(Languages.Select(async l => await grains.GetGrain<IQueueGrain>(l).GetSnapshot() is var q ? new { q.Language, q.Sequence, q.Order } : null)),
            Accounts = await grains.GetGrain<IAccountDirectoryGrain>(0).List(),
            Inbox = await TestInbox.AllAsync(grains),
            Hours = await Task.WhenAll(Languages.Select(l => grains.GetGrain<ILanguageHoursGrain>(l).Get())),
            Canned = await Task.WhenAll(Languages.Select(l => grains.GetGrain<ICannedRepliesGrain>(l).Get())),
        };
        return JsonSerializer.Serialize(state);
    }

    /// <summary>Takes a new snapshot and fails, naming <paramref name="attempt"/>, when it differs.</summary>
    public static async Task AssertUnchangedAsync(IGrainFactory grains, VictimScene victim, string before, string attempt)
    {
        var after = await TakeAsync(grains, victim);
        if (before != after)
        {
            var at = Enumerable.Range(0, Math.Min(before.Length, after.Length)).FirstOrDefault(i => before[i] != after[i]);
            var from = Math.Max(0, at - 200);
            Assert.Fail($"State changed after {attempt}, at character {at}.\nBefore: ...{before[from..Math.Min(before.Length, at + 300)]}\nAfter:  ...{after[from..Math.Min(after.Length, at + 300)]}");
        }
    }
}
