using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;
using OrleansSupport.Email;
using OrleansSupport.Storage;

namespace OrleansSupport.Tests;

/// <summary>An inbox stored the old way, as one list in the grain's state, moves to rows on its first activation.</summary>
public sealed class EmailInboxMoveTests
{
    [Fact]
    public async Task The_old_list_moves_to_rows_once_and_its_state_is_cleared()
    {
        await using var own = await OwnCluster.StartAsync();
        var inbox = own.Grains.GetGrain<IEmailInboxGrain>(0);
        var silo = Assert.IsType<InProcessSiloHandle>(own.Cluster.Primary);
        var storage = silo.SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default);
        var grainId = inbox.GetGrainId();
        var now = own.Clock.GetUtcNow();
        var old = new EmailInboxState
        {
            Requests =
            [
                new("SR-2222222222", "en", TestCustomer.ChatQuestion, "first@example.com", "A-1", "Charged twice", now.AddDays(-2)),
                new("SR-3333333333", "ru", TestCustomer.ChatQuestion, "second@example.com", "A-2", "Дважды списали", now.AddDays(-1),
                    new EmailAnswer("olga", "Вернули.", now.AddHours(-20))),
            ],
        };
        await storage.WriteStateAsync("email-inbox", grainId, new GrainState<EmailInboxState>(old)); // before the grain ever ran

        Assert.Equal(old.Requests, await inbox.Page(null, EmailInboxOptions.PageSize));
        var left = new GrainState<EmailInboxState>(new EmailInboxState());
        await storage.ReadStateAsync("email-inbox", grainId, left);
        Assert.Empty(left.State?.Requests ?? []);

        // The rows are the inbox now: answered stays answered, the open one can be answered.
        await Assert.ThrowsAsync<SupportException>(() => inbox.Answer("SR-3333333333", "sam", "again"));
        Assert.NotNull((await inbox.Answer("SR-2222222222", "sam", "Refunded.")).Answer);
    }
}
