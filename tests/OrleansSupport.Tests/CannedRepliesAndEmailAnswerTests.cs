using System.Net.Http.Json;
using System.Text.Json;
using OrleansSupport.Email;

namespace OrleansSupport.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CannedRepliesAndEmailAnswerTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Canned_replies_are_kept_per_language_and_validated()
    {
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"canned-{Guid.NewGuid():N}", ["en"]);

        var saved = await op.Hub.InvokeAsync<string[]>("SetCannedReplies", "ru", new[] { "  Здравствуйте! ", "", "Минутку, проверяю." });
        var tooLong = await Assert.ThrowsAsync<HubException>(() => op.Hub.InvokeAsync<string[]>("SetCannedReplies", "ru", new[] { new string('x', 501) }));
        var unknown = await Assert.ThrowsAsync<HubException>(() => op.Hub.InvokeAsync<string[]>("GetCannedReplies", "xx"));

        Assert.Equal(["Здравствуйте!", "Минутку, проверяю."], saved);
        Assert.Contains("bad-canned-replies:", tooLong.Message);
        Assert.Contains("unknown-language:", unknown.Message);
        Assert.Equal(saved, await op.Hub.InvokeAsync<string[]>("GetCannedReplies", "ru"));
        Assert.DoesNotContain("Здравствуйте!", await op.Hub.InvokeAsync<string[]>("GetCannedReplies", "en"));
    }

    [Fact]
    public async Task A_full_list_of_the_longest_russian_replies_fits_one_hub_call_and_one_more_is_refused_clearly()
    {
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, $"canned-{Guid.NewGuid():N}", ["en"]);
        var longest = Enumerable.Range(0, CannedRepliesGrain.MaxReplies)
            .Select(i => $"{i:D2} " + new string('ж', CannedRepliesGrain.MaxReplyLength - 3)).ToArray();

        // .NET's JSON escapes every Cyrillic letter as \uXXXX: this is the largest frame a valid list makes.
        Assert.Equal(longest, await op.Hub.InvokeAsync<string[]>("SetCannedReplies", "ru", longest));
        var oneMore = await Assert.ThrowsAsync<HubException>(() => op.Hub.InvokeAsync<string[]>("SetCannedReplies", "ru", longest.Append("ещё").ToArray()));

        Assert.Contains("bad-canned-replies: At most 20 replies", oneMore.Message);
        Assert.Equal(HubConnectionState.Connected, op.Hub.State);
        Assert.Equal(longest, await op.Hub.InvokeAsync<string[]>("GetCannedReplies", "ru"));
    }

    [Fact]
    public async Task An_operator_answers_an_email_request_once()
    {
        using var http = new HttpClient { BaseAddress = fixture.FrontendUrl };
        var created = await http.PostAsJsonAsync("/api/email-requests", new
        {
            language = "en", questionId = "refunds.refund-timing", email = "late@example.com", orderNumber = "R-55", text = "Where is my refund?",
        });
        var reference = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reference").GetString()!;
        var operatorId = $"mailer-{Guid.NewGuid():N}";
        await using var op = await OperatorClient.SignInAsync(fixture.Grains, fixture.FrontendUrl, operatorId, ["en"]);

        var answered = await op.Hub.InvokeAsync<EmailRequest>("AnswerEmailRequest", reference, "Refunds take 3-5 days; yours left today.");
        var twice = await Assert.ThrowsAsync<HubException>(() => op.Hub.InvokeAsync<EmailRequest>("AnswerEmailRequest", reference, "again"));
        var nowhere = await Assert.ThrowsAsync<HubException>(() => op.Hub.InvokeAsync<EmailRequest>("AnswerEmailRequest", "SR-2222222222", "hello"));

        Assert.Equal(operatorId, answered.Answer!.OperatorId);
        Assert.Contains("already-answered:", twice.Message);
        Assert.Contains("unknown-reference:", nowhere.Message);
        var listed = (await op.Hub.InvokeAsync<EmailRequest?>("GetEmailRequest", reference))!;
        Assert.Equal("Refunds take 3-5 days; yours left today.", listed.Answer!.Text);
    }
}
