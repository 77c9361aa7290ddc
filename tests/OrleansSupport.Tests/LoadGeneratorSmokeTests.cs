using OrleansSupport.LoadGenerator;

namespace OrleansSupport.Tests;

/// <summary>
/// A short run of the load generator against the test frontend: it must finish its chats and account
/// for every message. Figures are not judged here; benchmarks are run on their own.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class LoadGeneratorSmokeTests(ClusterFixture fixture)
{
    [Fact]
    public async Task Fifty_customers_and_five_operators_lose_and_repeat_no_message()
    {
        await QueueOrderTests.DrainAsync(fixture.Grains.GetGrain<IQueueGrain>("en"));
        var options = new LoadOptions
        {
            Url = fixture.FrontendUrl,
            Customers = 50,
            Operators = 5,
            OperatorCapacity = 10,
            Duration = TimeSpan.FromSeconds(15),
            RampPerSecond = 25,
            MessagesPerChat = 3,
            ThinkTime = TimeSpan.FromMilliseconds(100),
            AbandonRate = 0.1,
            SupervisorUser = TestAccounts.SupervisorUserName,
            SupervisorPassword = TestAccounts.SupervisorPassword,
        };

        var report = await LoadRun.RunAsync(options, TextWriter.Null);

        Assert.True(report.Clean, report.ToTable());
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(50, report.Connected);
        Assert.True(report.Completed + report.Abandoned + report.Unserved == 50, report.ToTable());
        Assert.True(report.Completed > 0 && report.MessagesReceived >= report.Completed * 3, report.ToTable());
        Assert.Equal(0, report.Errors);
        Assert.True(report.MessageEndToEnd.Count > 0 && report.ConnectToFirstQueueNumber.Count == 50, report.ToTable());
        Assert.Contains("lost 0, duplicated 0, out of order 0", report.ToTable());
    }
}
