using System.Net;
using System.Reflection;
using System.Text.Json;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

/// <summary>
/// The IDOR matrix over the hubs: customer A against session B, customers against operator methods,
/// anonymous and logged-out callers against the operator hub, and operators against chats not theirs.
/// Every method comes from reflection over the hubs, so a new method without a rule fails here; every
/// cell must be refused, and B's state (<see cref="StateSnapshot"/>) must be unchanged after each attempt.
/// The HTTP half is <see cref="IdorHttpMatrixTests"/>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class IdorMatrixTests(ClusterFixture fixture)
{
    [Fact]
    public void Every_hub_method_has_a_rule_and_every_rule_a_method()
    {
        AssertRulesMatch(AccessMatrix.HubMethods(AccessMatrix.CustomerHubType), AccessMatrix.CustomerHub.Keys, "CustomerHub");
        AssertRulesMatch(AccessMatrix.HubMethods(AccessMatrix.OperatorHubType), AccessMatrix.OperatorHub.Keys, "OperatorHub");
    }

    [Fact]
    public async Task Customer_A_cannot_reach_session_B_with_forged_tokens_or_B_s_id_alone()
    {
        await using var victim = await VictimScene.CreateAsync(fixture);
        await using var a = await CustomerClient.ConnectAsync(fixture.FrontendUrl);

        // A self-service question keeps A out of the queues, so the queues in the snapshot stay B's business.
        var aSession = await a.StartAsync(questionId: TestCustomer.SelfServiceQuestion);
        await using var unbound = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        var before = await StateSnapshot.TakeAsync(fixture.Grains, victim);
        await DrainPushesAsync(victim);

        // Resume with B's id and: a guessed secret, A's secret, no secret; B's id as plain text; malformed tokens.
        foreach (var (what, token) in ForgedTokensFor(victim, a.Token))
        {
            foreach (var (who, connection) in new[] { ("A's connection", a), ("an unbound connection", unbound) })
            {
                var cell = $"{who}: Resume with {what}";
                var error = await Assert.ThrowsAsync<HubException>(() => connection.Hub.InvokeAsync<SessionView>("Resume", token, 0L));
                HubErrors.AssertCode(error, "unknown-session", cell);
                victim.AssertNoLeak(error.Message, cell);
                await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
            }
        }

        // A connection is bound to one session: A's cannot start another, and the unbound one, which only
        // ever named B's id, has no session to act on.
        var again = await Assert.ThrowsAsync<HubException>(() => a.Hub.InvokeCoreAsync("StartSession", typeof(object), AccessMatrix.CustomerHub["StartSession"].Args(victim)));
        HubErrors.AssertCode(again, "session-exists", "A's connection: StartSession");
        foreach (var (method, rule) in AccessMatrix.CustomerHub.Where(r => r.Value.Kind == CustomerMethodKind.ActsOnBoundSession))
        {
            var cell = $"unbound connection knowing B's id: {method}";
            var error = await Assert.ThrowsAsync<HubException>(() => unbound.Hub.InvokeCoreAsync(method, typeof(object), rule.Args(victim)));
            HubErrors.AssertCode(error, "no-session", cell);
            await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
        }

        // Whatever A's own connection does, it does to A: nothing reaches B, and no answer shows B.
        foreach (var (method, rule) in AccessMatrix.CustomerHub.Where(r => r.Value.Kind == CustomerMethodKind.ActsOnBoundSession))
        {
            var cell = $"A's connection: {method}";
            var answer = await AnswerOrErrorAsync(() => a.Hub.InvokeCoreAsync(method, typeof(object), rule.Args(victim)));
            victim.AssertNoLeak(answer, cell);
            await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
        }

        Assert.Equal(aSession.SessionId, (await a.ResumeAsync(a.Token, 0)).SessionId);
        await AssertNoPushesReachedBAsync(victim);
        await AssertBStillReadsOwnTranscriptAsync(victim);
    }

    [Fact]
    public async Task A_customer_connection_cannot_call_any_operator_method()
    {
        await using var victim = await VictimScene.CreateAsync(fixture);
        await using var a = await CustomerClient.ConnectAsync(fixture.FrontendUrl);
        await a.StartAsync();
        var before = await StateSnapshot.TakeAsync(fixture.Grains, victim);

        foreach (var method in AccessMatrix.HubMethods(AccessMatrix.OperatorHubType))
        {
            var cell = $"customer hub: operator method {method}";
            var error = await Assert.ThrowsAsync<HubException>(() => a.Hub.InvokeCoreAsync(method, typeof(object), AccessMatrix.OperatorHub[method].Args(victim, victim.OperatorId)));
            victim.AssertNoLeak(error.Message, cell);
            await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
        }
    }

    [Fact]
    public async Task Anonymous_forged_and_logged_out_callers_cannot_connect_to_the_operator_hub_for_any_method()
    {
        await using var victim = await VictimScene.CreateAsync(fixture);
        Caller[] callers =
        [
            Attackers.Anonymous,
            Attackers.Forged,
            await Attackers.LoggedOutAsync(fixture, AccountRole.Operator),
            await Attackers.LoggedOutAsync(fixture, AccountRole.Supervisor),
        ];
        var before = await StateSnapshot.TakeAsync(fixture.Grains, victim);

        foreach (var method in AccessMatrix.HubMethods(AccessMatrix.OperatorHubType))
        {
            foreach (var caller in callers)
            {
                foreach (var skipNegotiation in new[] { false, true })
                {
                    var cell = $"{caller} -> operator hub {method} ({(skipNegotiation ? "straight WebSocket" : "negotiated")})";
                    await using var hub = Attackers.OperatorHub(fixture.FrontendUrl, caller, skipNegotiation);
                    var refused = await Record.ExceptionAsync(() => hub.StartAsync());
                    Assert.True(refused is not null, $"{cell}: the connection was accepted");
                    if (!skipNegotiation)
                    {
                        Assert.True(refused is HttpRequestException { StatusCode: HttpStatusCode.Unauthorized }, $"{cell}: {refused}");
                    }

                    Assert.Equal(HubConnectionState.Disconnected, hub.State);
                    await Assert.ThrowsAnyAsync<Exception>(() => hub.InvokeCoreAsync(method, typeof(object), AccessMatrix.OperatorHub[method].Args(victim, victim.OperatorId)));
                    await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
                }
            }
        }

        // The control: a live login of the same kind does connect.
        await using var live = Attackers.OperatorHub(fixture.FrontendUrl, await Attackers.LoggedInAsync(fixture, AccountRole.Operator, "live"), skipNegotiation: false);
        await live.StartAsync();
        Assert.Equal(HubConnectionState.Connected, live.State);
    }

    [Fact]
    public async Task Operators_and_supervisors_not_serving_B_cannot_reach_B_s_chat_by_its_id()
    {
        await using var victim = await VictimScene.CreateAsync(fixture);
        var sessionMethods = OperatorMethodsNamingASession();
        Assert.NotEmpty(sessionMethods);
        var otherName = $"other-{Guid.NewGuid():N}"[..30];
        await using var other = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, otherName, ["en", "ru"]);
        var supervisorName = $"sup-{Guid.NewGuid():N}"[..30];
        await TestAccounts.EnsureAsync(fixture.Grains, supervisorName, AccountRole.Supervisor);
        await using var supervisor = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, supervisorName, ["en"]);
        var before = await StateSnapshot.TakeAsync(fixture.Grains, victim);
        await DrainPushesAsync(victim);

        // Each names the other as the taker of a transfer: someone with room who would accept B's chat.
        foreach (var (who, client, taker) in new[] { ("another operator", other, supervisorName), ("a supervisor", supervisor, otherName) })
        {
            foreach (var method in sessionMethods)
            {
                var cell = $"{who}: {method}(B's id)";
                var error = await Assert.ThrowsAsync<HubException>(() => client.Hub.InvokeCoreAsync(method, typeof(object), AccessMatrix.OperatorHub[method].Args(victim, taker)));
                HubErrors.AssertCode(error, "not-your-chat", cell);
                await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
            }

            foreach (var (method, _) in AccessMatrix.OperatorHub.Where(r => r.Value.Access == Access.Supervisor))
            {
                if (who == "another operator")
                {
                    var cell = $"operator: supervisor hub method {method}";
                    await Assert.ThrowsAsync<HubException>(() => client.Hub.InvokeCoreAsync(method, typeof(object), AccessMatrix.OperatorHub[method].Args(victim, victim.OperatorId)));
                    await StateSnapshot.AssertUnchangedAsync(fixture.Grains, victim, before, cell);
                }
            }
        }

        await AssertNoPushesReachedBAsync(victim);

        // The control: B's own operator reads B's transcript and the inbox shows B's request to staff.
        var chat = await victim.Operator.Hub.InvokeAsync<SessionView>("GetChat", victim.SessionId, 0L);
        Assert.Contains(chat.Messages, m => m.Text == victim.CustomerLine);
        var inbox = await TestInbox.AllAsync(other.Hub);
        Assert.Contains(inbox, r => r.Reference == victim.EmailReference);
    }

    /// <summary>B's id with wrong secrets, and tokens that are not tokens: each must be refused alike.</summary>
    private static IEnumerable<(string What, string? Token)> ForgedTokensFor(VictimScene victim, string attackerToken)
    {
        var real = SessionToken.Parse(victim.Customer.Token);
        var mine = SessionToken.Parse(attackerToken);
        yield return ("B's id and a guessed secret", new SessionToken(real.SessionId, SessionSecret.Create()).ToString());
        yield return ("B's id and A's secret", new SessionToken(real.SessionId, mine.Secret).ToString());
        yield return ("B's id and a zero secret", new SessionToken(real.SessionId, new byte[real.Secret.Length]).ToString());
        yield return ("B's secret with one bit flipped", new SessionToken(real.SessionId, FlipFirstBit(real.Secret)).ToString());
        yield return ("B's id alone", real.SessionId.ToString());
        yield return ("B's id alone, without dashes", real.SessionId.ToString("N"));
        yield return ("B's token cut short", victim.Customer.Token[..^4]);
        yield return ("B's token and more", victim.Customer.Token + "AAAA");
        yield return ("an empty token", "");
        yield return ("no token", null);
        yield return ("a malformed token", "!!not-a-token!!");
    }

    private static byte[] FlipFirstBit(byte[] secret)
    {
        var copy = (byte[])secret.Clone();
        copy[0] ^= 1;
        return copy;
    }

    /// <summary>The operator hub methods that take a session id: each must check the chat is the caller's.</summary>
    private static string[] OperatorMethodsNamingASession() =>
    [
        .. AccessMatrix.OperatorHubType.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
            .Where(m => m.GetParameters().Any(p => p.ParameterType == typeof(Guid) && p.Name == "sessionId"))
            .Select(m => m.Name),
    ];

    private static void AssertRulesMatch(string[] methods, IEnumerable<string> rules, string hub)
    {
        var unruled = methods.Except(rules).ToList();
        var stale = rules.Except(methods).ToList();
        Assert.True(unruled.Count == 0, $"{hub} methods without a rule in {nameof(AccessMatrix)}: {string.Join(", ", unruled)}");
        Assert.True(stale.Count == 0, $"Rules for {hub} methods that no longer exist: {string.Join(", ", stale)}");
    }

    private static async Task<string> AnswerOrErrorAsync(Func<Task<object?>> call)
    {
        try
        {
            return JsonSerializer.Serialize(await call());
        }
        catch (HubException ex)
        {
            return ex.Message;
        }
    }

    private static async Task DrainPushesAsync(VictimScene victim)
    {
        await Task.Delay(300); // pushes of B's own set-up lines may still be on their way
        while (victim.Customer.Messages.Reader.TryRead(out _) || victim.Customer.Statuses.Reader.TryRead(out _) || victim.Customer.Typing.Reader.TryRead(out _))
        {
        }

        while (victim.Operator.Messages.Reader.TryRead(out _) || victim.Operator.Typing.Reader.TryRead(out _) || victim.Operator.Ended.Reader.TryRead(out _))
        {
        }
    }

    private static async Task AssertNoPushesReachedBAsync(VictimScene victim)
    {
        await Task.Delay(300);
        Assert.False(victim.Customer.Messages.Reader.TryRead(out var message), $"B was sent a message: {message}");
        Assert.False(victim.Customer.Statuses.Reader.TryRead(out var status), $"B's status was pushed: {status}");
        Assert.False(victim.Customer.Typing.Reader.TryRead(out _), "B was shown typing");
        Assert.False(victim.Operator.Messages.Reader.TryRead(out var toOperator), $"B's operator was sent a message: {toOperator}");
        Assert.False(victim.Operator.Typing.Reader.TryRead(out _), "B's operator was shown typing");
        Assert.False(victim.Operator.Ended.Reader.TryRead(out _), "B's operator was told the chat ended");
    }

    private static async Task AssertBStillReadsOwnTranscriptAsync(VictimScene victim)
    {
        var view = await victim.Customer.ResumeAsync(victim.Customer.Token, 0);
        Assert.Equal(SessionStatus.Chatting, view.Status);
        Assert.Contains(view.Messages, m => m.Text == victim.CustomerLine);
        Assert.Contains(view.Messages, m => m.Text == victim.OperatorLine);
    }
}
