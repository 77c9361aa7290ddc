using OrleansSupport.LoadGenerator;

namespace OrleansSupport.Tests;

/// <summary>
/// A short run of the load generator against the embedded default it starts itself (a silo on SQLite
/// and a frontend, as real processes), with a short echo baseline: it must finish its chats and account
/// for every message. Figures are not judged here; benchmarks are run on their own.
/// </summary>
public sealed class LoadGeneratorSmokeTests
{
    [Fact]
    public async Task Fifty_customers_and_five_operators_lose_and_repeat_no_message()
    {
        var options = new LoadOptions
        {
            Customers = 50,
            Operators = 5,
            // 5 places for 50 customers arriving 25 a second: the line grows for seconds, so waits outlast the
            // 600 ms between a customer's pushes and numbers are seen moving. With 10 places a run once
            // served everyone within 561 ms, and no number was pushed at all.
            OperatorCapacity = 1,
            Duration = TimeSpan.FromSeconds(15),
            RampPerSecond = 25,
            Languages = new() { ["en"] = 0.5, ["ru"] = 0.5 },
            MessagesPerChat = 3,
            ThinkTime = TimeSpan.FromMilliseconds(100),
            AbandonRate = 0.1,
            BaselineLength = TimeSpan.FromSeconds(2),
            BaselineConnections = 20,
            Quiet = true,
        };

        var report = await LoadRun.RunAsync(options, TextWriter.Null);
        var table = report.ToTable();

        Assert.True(report.Clean, table);
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(50, report.Connected);
        Assert.Equal(0, report.Errors);
        Assert.True(report.Completed + report.Abandoned + report.Unserved == 50, table);
        Assert.True(report.Completed > 0 && report.MessagesReceived >= report.Completed * 3, table);
        Assert.Equal(50, report.Latencies["connect -> first queue number"].Count);
        Assert.True(report.Latencies["message sender -> receiver"].Count > 0, table);
        // Every served customer saw the operator join (some who gave up had been joined a moment before).
        Assert.InRange(report.Latencies["operator accept -> customer"].Count, report.Completed, 50);

        // Numbers moved live, each push stamped with the change it shows, never more than 2 a second.
        Assert.True(report.PositionPushes > 0, table);
        Assert.Equal(report.PositionPushes, report.Latencies["queue number change -> client"].Count);
        Assert.Equal(0, report.PositionPushesOverTwoPerSecond);

        Assert.True(report.Baseline is { RoundTrips: > 0 }, table);
        Assert.Equal(["OrleansSupport.Silo", "OrleansSupport.WebFrontend"], report.Servers.Select(s => s.Name).Order());
        Assert.All(report.Servers, s => Assert.True(s.RssPeakMb > 0 && s.CpuPercent > 0, table));
        Assert.Contains("lost 0, duplicated 0, out of order 0", table);
    }
}
