using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrleansSupport.Email;
using OrleansSupport.HelpCenter;

namespace OrleansSupport.Tests;

/// <summary>"Email us" and "Did this solve your problem?" through the frontend's HTTP API.</summary>
[Collection(ClusterCollection.Name)]
public sealed class EmailAndFeedbackTests(ClusterFixture fixture)
{
    private HttpClient Http() => new() { BaseAddress = fixture.FrontendUrl };

    [Fact]
    public async Task An_email_request_for_a_payment_question_is_stored_and_listed_for_operators()
    {
        using var http = Http();
        var text = $"I was charged twice <b>{Guid.NewGuid():N}</b>";

        var response = await http.PostAsJsonAsync("/api/email-requests", new
        {
            language = "ru", questionId = "payment.charged-twice", email = "buyer@example.com", orderNumber = "A-1029384", text,
        });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reference = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
        Assert.Matches("^SR-[2-9A-HJ-NP-Z]{10}$", reference);
        var stored = await fixture.Grains.GetGrain<IEmailRequestGrain>(reference).Get();
        Assert.Equal(("buyer@example.com", "A-1029384", text), (stored!.Email, stored.OrderNumber, stored.Text));

        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"mail-{Guid.NewGuid():N}", ["en"]);
        var inbox = await TestInbox.AllAsync(op.Hub);
        Assert.Contains(inbox, r => r.Reference == reference && r.Text == text);
    }

    [Fact]
    public async Task Email_requests_are_refused_for_other_questions_and_bad_fields_and_nothing_is_stored()
    {
        using var http = Http();
        var before = (await TestInbox.AllAsync(fixture.Grains)).Length;

        var notPayment = await http.PostAsJsonAsync("/api/email-requests", new
        {
            language = "en", questionId = "shipping.track-parcel", email = "a@b.co", orderNumber = "123", text = "where?",
        });
        var badFields = await http.PostAsJsonAsync("/api/email-requests", new
        {
            language = "xx", questionId = "refunds.open-dispute", email = "not an e-mail", orderNumber = "12 34; DROP TABLE", text = new string('x', 4001),
        });

        Assert.Equal(HttpStatusCode.BadRequest, notPayment.StatusCode);
        Assert.Contains("questionId", (await notPayment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(HttpStatusCode.BadRequest, badFields.StatusCode);
        var errors = (await badFields.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["email", "language", "orderNumber", "text"], errors.Order());
        Assert.Equal(before, (await TestInbox.AllAsync(fixture.Grains)).Length);
    }

    [Fact]
    public async Task Suggestion_answers_are_counted_per_question()
    {
        using var http = Http();
        const string question = "shipping.track-parcel";
        var suggestion = HelpCatalogLoader.Load(null, HelpCatalogServiceCollectionExtensions.CatalogLanguages).FindQuestion(question)!.Suggestions[0].Id;
        var before = (await fixture.Grains.GetGrain<IQuestionFeedbackGrain>(question).GetCounts()).FirstOrDefault(c => c.SuggestionId == suggestion);

        foreach (var solved in new[] { true, true, false })
        {
            var answer = await http.PostAsJsonAsync("/api/help/feedback", new { questionId = question, suggestionId = suggestion, solved });
            Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        }

        var forged = await http.PostAsJsonAsync("/api/help/feedback", new { questionId = question, suggestionId = "payment.charged-twice.1", solved = true });
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var after = (await fixture.Grains.GetGrain<IQuestionFeedbackGrain>(question).GetCounts()).Single(c => c.SuggestionId == suggestion);
        Assert.Equal(((before?.Solved ?? 0) + 2, (before?.NotSolved ?? 0) + 1), (after.Solved, after.NotSolved));
    }

    [Fact]
    public async Task The_catalog_and_hours_are_served_in_the_asked_language()
    {
        using var http = Http();

        var russian = await http.GetFromJsonAsync<JsonElement>("/api/help/catalog?language=ru");
        var question = russian.GetProperty("categories")[1].GetProperty("questions")[0];
        var hours = await http.GetFromJsonAsync<JsonElement>("/api/help/hours?language=ru");

        Assert.Equal(6, russian.GetProperty("categories").GetArrayLength());
        Assert.Equal("Покупка и оплата", russian.GetProperty("categories")[1].GetProperty("title").GetString());
        Assert.True(question.GetProperty("canEmail").GetBoolean());
        Assert.Equal(("06:00", "24:00", "en", true), (hours.GetProperty("opens").GetString(), hours.GetProperty("closes").GetString(), hours.GetProperty("fallback").GetString(), hours.GetProperty("open").GetBoolean()));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/help/catalog?language=xx")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/api/help/hours")).StatusCode);
    }
}
