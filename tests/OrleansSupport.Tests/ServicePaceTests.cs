namespace OrleansSupport.Tests;

public sealed class ServicePaceTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void No_recent_service_means_no_estimate()
    {
        Assert.Null(ServicePace.SecondsPerCustomer([], Now));
        Assert.Null(ServicePace.SecondsPerCustomer([Now.AddHours(-1)], Now));
        Assert.Null(ServicePace.EstimatedWaitSeconds(3, null));
    }

    [Fact]
    public void The_estimate_follows_the_recent_pace_and_the_position()
    {
        // Ten customers taken over the last ten minutes: one a minute.
        var services = Enumerable.Range(0, 10).Select(i => Now.AddMinutes(-10 + i)).ToList();

        var pace = ServicePace.SecondsPerCustomer(services, Now);

        Assert.Equal(60, pace!.Value, precision: 6);
        Assert.Equal(300, ServicePace.EstimatedWaitSeconds(5, pace));
        Assert.Equal(600, ServicePace.EstimatedWaitSeconds(10, pace));
    }

    [Fact]
    public void A_faster_pace_gives_shorter_waits_and_a_stalled_line_longer_ones()
    {
        var fast = Enumerable.Range(0, 20).Select(i => Now.AddSeconds(-200 + (i * 10))).ToList();
        var slow = Enumerable.Range(0, 4).Select(i => Now.AddMinutes(-20 + (i * 5))).ToList();

        var fastWait = ServicePace.EstimatedWaitSeconds(4, ServicePace.SecondsPerCustomer(fast, Now))!.Value;
        var slowWait = ServicePace.EstimatedWaitSeconds(4, ServicePace.SecondsPerCustomer(slow, Now))!.Value;
        var stalledWait = ServicePace.EstimatedWaitSeconds(4, ServicePace.SecondsPerCustomer(fast, Now.AddMinutes(10)))!.Value;

        Assert.True(fastWait < slowWait, $"{fastWait} < {slowWait}");
        Assert.True(fastWait < stalledWait, $"{fastWait} < {stalledWait}");
    }

    [Fact]
    public void Only_the_newest_samples_are_kept()
    {
        var services = new List<DateTimeOffset>();
        for (var i = 0; i < ServicePace.MaxSamples + 10; i++)
        {
            ServicePace.Record(services, Now.AddSeconds(i));
        }

        Assert.Equal(ServicePace.MaxSamples, services.Count);
        Assert.Equal(Now.AddSeconds(10), services[0]);
    }
}
