namespace OrleansSupport.Tests;

/// <summary>
/// A finished chat's token opens its transcript for a day (Support:EndedChats:ReadableFor), then nothing:
/// a token left in a shared computer's browser does not show the next person an old conversation.
/// </summary>
public sealed class EndedChatTokenTests
{
    [Fact]
    public async Task An_ended_chats_token_reads_the_transcript_for_a_day_and_then_opens_nothing()
    {
        await using var own = await OwnCluster.StartAsync(withFrontend: true);
        await using var customer = await CustomerClient.ConnectAsync(own.FrontendUrl);
        await customer.StartAsync();
        await customer.RequestOperatorAsync();
        await customer.Hub.InvokeAsync("End");

        // Within the day: another tab (a reload, the transcript download) reads the whole chat.
        own.Clock.Run(own.Clock.GetUtcNow().AddHours(23));
        await using (var reload = await CustomerClient.ConnectAsync(own.FrontendUrl))
        {
            var view = await reload.ResumeAsync(customer.Token, 0);
            Assert.Equal(SessionStatus.Ended, view.Status);
            Assert.NotEmpty(view.Messages);
        }

        // After it: the same answer as for a token that never existed, and the rating is closed with it.
        own.Clock.Run(own.Clock.GetUtcNow().AddHours(1).AddMinutes(1));
        await using var later = await CustomerClient.ConnectAsync(own.FrontendUrl);
        var refused = await Assert.ThrowsAsync<HubException>(() => later.ResumeAsync(customer.Token, 0));
        HubErrors.AssertCode(refused, "unknown-session", "resume a day after the end");
        var rating = await Assert.ThrowsAsync<HubException>(() => customer.Hub.InvokeAsync("Rate", 5, (string?)null));
        HubErrors.AssertCode(rating, "unknown-session", "rate a day after the end");
    }

    [Fact]
    public async Task A_chat_still_open_a_day_later_keeps_its_token()
    {
        await using var own = await OwnCluster.StartAsync(withFrontend: true);
        await using var customer = await CustomerClient.ConnectAsync(own.FrontendUrl);
        await customer.StartAsync();

        own.Clock.Run(own.Clock.GetUtcNow().AddDays(2));
        await using var reload = await CustomerClient.ConnectAsync(own.FrontendUrl);
        Assert.Equal(SessionStatus.Browsing, (await reload.ResumeAsync(customer.Token, 0)).Status);
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("31.00:00:00")]
    public void A_readable_time_of_nothing_or_over_30_days_stops_the_silo_at_start_up(string readableFor)
    {
        var error = SettingsRefusal.Of<EndedChatOptions>(EndedChatOptions.SectionName, new()
        {
            [$"{EndedChatOptions.SectionName}:ReadableFor"] = readableFor,
        });
        Assert.Contains("Support:EndedChats:ReadableFor", error.Message);
    }
}
