using System.Net;
using System.Net.Http.Json;
using Orleans.Runtime;
using OrleansSupport.HelpCenter;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.Tests;

/// <summary>
/// Calls that cost the silo work before they can be refused: resuming with a guessed token (a grain
/// activation and a storage read), "did this help?" answers (a stored counter), and oversized bodies.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GuessingLimitTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Guessing_session_tokens_is_limited_per_browser_and_a_guess_leaves_no_session_in_memory()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("ResumesPerClientPerMinute", 3), ("ResumesPerAddressPerMinute", 0));
        await using var guesser = await frontend.CustomerAsync(new CookieContainer());
        var guesses = Enumerable.Range(0, 4).Select(_ => SessionToken.CreateNew()).ToArray();
        for (var i = 0; i < 3; i++)
        {
            var wrong = await Assert.ThrowsAsync<HubException>(() => guesser.ResumeAsync(guesses[i].ToString(), 0));
            Assert.Contains("unknown-session: Unknown session.", wrong.Message);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => guesser.ResumeAsync(guesses[3].ToString(), 0));
        Assert.Matches(@"rate-limited: Too many reconnects from this browser; please try again in \d+ seconds\.", refused.Message);

        // A guessed id does not stay activated; the refused guess was never activated at all.
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var sessionType = fixture.Grains.GetGrain<ICustomerSessionGrain>(guesses[0].SessionId).GetGrainId().Type;
        var guessedIds = guesses.Select(g => fixture.Grains.GetGrain<ICustomerSessionGrain>(g.SessionId).GetGrainId()).ToHashSet();
        await Eventually.Async(
            async () => (await management.GetActiveGrains(sessionType)).Count(guessedIds.Contains),
            active => active == 0);

        // Another browser on the same address comes back to its real session.
        await using var owner = await frontend.CustomerAsync();
        await owner.StartAsync();
        await using var ownersOtherTab = await frontend.CustomerAsync();
        Assert.Equal(SessionStatus.Browsing, (await ownersOtherTab.ResumeAsync(owner.Token, 0)).Status);

        // A connection that already holds the session (filling a gap, downloading the transcript) is
        // not guessing: its resumes are not counted.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(SessionStatus.Browsing, (await owner.ResumeAsync(owner.Token, 0)).Status);
        }
    }

    [Fact]
    public async Task A_browser_flooding_did_this_help_answers_gets_429_and_only_the_accepted_ones_count()
    {
        await using var frontend = await LimitedFrontend.StartAsync(fixture, ("FeedbackPerClientPerHour", 2), ("FeedbackPerAddressPerHour", 0));
        const string question = "shipping.delivery-times";
        var suggestion = HelpCatalogLoader.Load(null, HelpCatalogServiceCollectionExtensions.CatalogLanguages).FindQuestion(question)!.Suggestions[0].Id;
        var counts = fixture.Grains.GetGrain<IQuestionFeedbackGrain>(question);
        var before = (await counts.GetCounts()).Where(c => c.SuggestionId == suggestion).Sum(c => c.Solved);
        using var flooder = frontend.Http();
        (await flooder.GetAsync("/")).EnsureSuccessStatusCode(); // a browser: it holds a client-id cookie

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 5; i++)
        {
            answers.Add(await flooder.PostAsJsonAsync("/api/help/feedback", new { questionId = question, suggestionId = suggestion, solved = true }));
        }

        Assert.All(answers.Take(2), a => Assert.Equal(HttpStatusCode.NoContent, a.StatusCode));
        foreach (var refused in answers.Skip(2))
        {
            await AbuseLimitTests.AssertTooManyAsync(refused, "Too much feedback");
        }

        Assert.Equal(before + 2, (await counts.GetCounts()).Where(c => c.SuggestionId == suggestion).Sum(c => c.Solved));
    }

    [Fact]
    public async Task A_request_body_over_64_kb_is_refused_with_413_and_stores_nothing()
    {
        using var http = new HttpClient { BaseAddress = fixture.FrontendUrl };
        var marker = Guid.NewGuid().ToString("N");
        var huge = new string('x', (int)WebFrontend.FrontendApp.MaxRequestBodyBytes);
        var response = await http.PostAsJsonAsync("/api/email-requests", new
        {
            language = "en", questionId = "payment.charged-twice", email = "buyer@example.com", orderNumber = "A-1", text = marker + huge,
        });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var inbox = await TestInbox.AllAsync(fixture.Grains);
        Assert.DoesNotContain(inbox, r => r.Text.Contains(marker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_chunked_body_over_64_kb_gets_the_same_413_and_a_small_chunked_one_is_read()
    {
        using var http = new HttpClient { BaseAddress = fixture.FrontendUrl };
        var marker = Guid.NewGuid().ToString("N");
        var huge = JsonContent.Create(new
        {
            language = "en", questionId = "payment.charged-twice", email = "buyer@example.com", orderNumber = "A-1",
            text = marker + new string('x', 100_000),
        });
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "/api/email-requests") { Content = huge };
        oversized.Headers.TransferEncodingChunked = true; // no Content-Length: the body's size is known only once read
        var refused = await http.SendAsync(oversized);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var inbox = await TestInbox.AllAsync(fixture.Grains);
        Assert.DoesNotContain(inbox, r => r.Text.Contains(marker, StringComparison.Ordinal));

        using var small = new HttpRequestMessage(HttpMethod.Post, "/api/account/login") { Content = JsonContent.Create(new { userName = "nobody-here", password = "wrong" }) };
        small.Headers.TransferEncodingChunked = true;
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(small)).StatusCode); // read and checked, not refused
    }

    [Fact]
    public async Task An_oversized_body_to_a_path_that_reads_no_body_still_gets_its_413_and_never_a_reset()
    {
        // The fuzz test found it: endpoints that answer without reading (a 405, a 401, /metrics) closed the
        // connection under a client still sending, and the reset sometimes swallowed the answer.
        using var http = new HttpClient { BaseAddress = fixture.FrontendUrl };
        var body = new string('x', 420_000);
        var answers = new List<string>();
        foreach (var (verb, path) in Enumerable.Repeat<(string, string)>(("PUT", "/metrics"), 60).Concat(Enumerable.Repeat<(string, string)>(("POST", "/alive"), 60)))
        {
            using var request = new HttpRequestMessage(new HttpMethod(verb), path) { Content = new StringContent(body) };
            try
            {
                using var response = await http.SendAsync(request);
                answers.Add($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}");
            }
            catch (HttpRequestException ex)
            {
                answers.Add($"no answer: {ex.InnerException?.Message ?? ex.Message}");
            }
        }

        Assert.All(answers, a => Assert.Equal("413 application/problem+json", a));
    }
}
