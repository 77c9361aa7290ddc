namespace OrleansSupport.Tests;

/// <summary>
/// Hub calls per second (Support:Limits:CustomerCallsPerSecond, :OperatorCallsPerSecond): counted per
/// chat session and per operator account, so a second connection buys a flooder nothing; a refused call
/// is a clear "rate-limited" hub error, changes nothing, and slows nobody else.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class HubCallLimitTests(ClusterFixture fixture)
{
    private const int Limit = 5;
    private const string Refusal = "HubException: rate-limited: Too many calls at once; please try again in a second.";
    private static readonly TimeSpan Refilled = TimeSpan.FromMilliseconds(1100);

    [Fact]
    public async Task A_session_flooding_the_customer_hub_from_two_connections_is_refused_and_others_are_not()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("CustomerCallsPerSecond", Limit));
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        await using var flooder = await frontend.CustomerAsync();
        var session = await flooder.StartAsync();
        await flooder.RequestOperatorAsync();
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, frontend.Url, $"calls-{Guid.NewGuid():N}", ["en"], capacity: 1);
        Assert.Equal(session.SessionId, await op.AcceptNextAsync());
        await using var secondTab = await frontend.CustomerAsync();
        await secondTab.ResumeAsync(flooder.Token, 0);
        await using var bystander = await frontend.CustomerAsync();
        await bystander.StartAsync();
        await Task.Delay(Refilled);

        var (accepted, refusals) = await FloodAsync(40, i => (i % 2 == 0 ? flooder : secondTab).Hub.InvokeAsync("Typing", i % 4 == 0));
        Assert.InRange(accepted, Limit, 3 * Limit); // the bucket, plus what refilled while the flood ran
        Assert.All(refusals, r => Assert.EndsWith(Refusal, r));

        // Both connections of one session draw on one bucket: once one is refused, so is the other.
        await Task.Delay(Refilled);
        await AssertOneBucketAsync(() => flooder.Hub.InvokeAsync("Typing", false), () => secondTab.Hub.InvokeAsync("Typing", false));

        // Another customer on the same frontend, with a session of its own, is served at once.
        Assert.Equal(SessionStatus.Browsing, (await bystander.ResumeAsync(bystander.Token, 0)).Status);

        // A refused message is not stored: the transcript holds exactly the accepted ones.
        await Task.Delay(Refilled);
        (accepted, refusals) = await FloodAsync(12, i => flooder.SendAsync($"call flood {i}"), sequential: true);
        Assert.InRange(accepted, Limit, 2 * Limit);
        Assert.All(refusals, r => Assert.EndsWith(Refusal, r));
        var transcript = (await op.Hub.InvokeAsync<SessionView>("GetChat", session.SessionId, 0L)).Messages; // the session's calls are spent
        Assert.Equal(accepted, transcript.Count(m => m.Author == MessageAuthor.Customer));

        // The limit refills: after a second the session is served again.
        await Task.Delay(Refilled);
        await flooder.SendAsync("sorry");
    }

    [Fact]
    public async Task An_operator_account_flooding_the_operator_hub_from_two_consoles_is_refused_and_colleagues_are_not()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("OperatorCallsPerSecond", Limit));
        var name = $"calls-{Guid.NewGuid():N}";
        await using var console1 = await OperatorClient.SignInAsync(fixture.Grains, frontend.Url, name, ["en"], capacity: 1);
        await using var console2 = await OperatorClient.SignInAsync(fixture.Grains, frontend.Url, name, ["en"], capacity: 1);
        var colleagueName = $"calls-{Guid.NewGuid():N}";
        await using var colleague = await OperatorClient.SignInAsync(fixture.Grains, frontend.Url, colleagueName, ["en"], capacity: 1);
        await Task.Delay(Refilled);

        var (accepted, refusals) = await FloodAsync(40, i => (i % 2 == 0 ? console1 : console2).Hub.InvokeAsync<OperatorView>("GetStatus"));
        Assert.InRange(accepted, Limit, 3 * Limit);
        Assert.All(refusals, r => Assert.EndsWith(Refusal, r));

        await Task.Delay(Refilled);
        await AssertOneBucketAsync(() => console1.Hub.InvokeAsync<OperatorView>("GetStatus"), () => console2.Hub.InvokeAsync<OperatorView>("GetStatus"));

        Assert.Equal(colleagueName, (await colleague.Hub.InvokeAsync<OperatorView>("GetStatus")).OperatorId);

        await Task.Delay(Refilled);
        await console1.Hub.InvokeAsync<OperatorView>("GetStatus");
    }

    /// <summary>
    /// Spends <paramref name="first"/>'s calls until one is refused, then calls <paramref name="second"/>
    /// at once: refused too when both share a bucket. The bucket refills once a second, which may fall in
    /// between, so this tries up to three times; with a bucket each, <paramref name="second"/> (5 calls)
    /// would be served every time.
    /// </summary>
    private static async Task AssertOneBucketAsync(Func<Task> first, Func<Task> second)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var (_, firstRefusals) = await FloodUntilRefusedAsync(first);
            Assert.EndsWith(Refusal, firstRefusals);
            try
            {
                await second();
            }
            catch (HubException ex)
            {
                Assert.EndsWith(Refusal, ex.Message);
                return;
            }
        }

        Assert.Fail("The second connection was served each time right after the first was refused: they do not share a limit.");
    }

    private static async Task<(int Accepted, string Refusal)> FloodUntilRefusedAsync(Func<Task> call)
    {
        for (var accepted = 0; accepted < 100; accepted++)
        {
            try
            {
                await call();
            }
            catch (HubException ex)
            {
                return (accepted, ex.Message);
            }
        }

        throw new Xunit.Sdk.XunitException("100 calls in a row were all served: no limit.");
    }

    /// <summary>
    /// Makes <paramref name="count"/> calls, all at once or one after another; returns how many went
    /// through and the message of every refusal. Anything other than a hub refusal fails the test.
    /// </summary>
    private static async Task<(int Accepted, List<string> Refusals)> FloodAsync(int count, Func<int, Task> call, bool sequential = false)
    {
        var outcomes = new List<string?>();
        Task<string?> Attempt(int i) => HubErrors.RefusalOf(call(i));

        if (sequential)
        {
            for (var i = 0; i < count; i++)
            {
                outcomes.Add(await Attempt(i));
            }
        }
        else
        {
            outcomes.AddRange(await Task.WhenAll(Enumerable.Range(0, count).Select(Attempt)));
        }

        var refusals = outcomes.OfType<string>().ToList();
        Assert.NotEmpty(refusals);
        return (count - refusals.Count, refusals);
    }
}
