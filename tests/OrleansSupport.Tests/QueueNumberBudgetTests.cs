using OrleansSupport.WebFrontend.Queues;

namespace OrleansSupport.Tests;

/// <summary>
/// The four promises of the push budget, on long, fast-moving lines run on a virtual clock through the
/// frontend's real <see cref="QueueNumberBoard"/> (see <see cref="LineSimulation"/>).
/// </summary>
public sealed class QueueNumberBudgetTests
{
    /// <summary>What a push may take to reach the screen, out of the 2 s of <see cref="NumberBudget.MaxStale"/>.</summary>
    private static readonly TimeSpan TravelAllowance = TimeSpan.FromMilliseconds(500);

    /// <summary>20 served a second, as in the sales-event scenario (P6).</summary>
    private const double SecondsPerCustomer = 0.05;

    [Fact]
    public void A_screen_is_never_more_than_one_percent_off_for_longer_than_the_promise()
    {
        var line = new LineSimulation(20_000, SecondsPerCustomer);

        // 20 served a second at the head, and now and then someone gives up somewhere in the line.
        var random = new Random(15);
        line.Run(TimeSpan.FromSeconds(60), perSecond: 20, eachTick: l =>
        {
            if (random.NextDouble() < 0.1)
            {
                l.Remove(random.Next(l.Waiting));
            }
        });

        Assert.True(line.LongestBeyondTolerance <= NumberBudget.MaxStale - TravelAllowance,
            $"a screen stayed beyond its tolerance for {line.LongestBeyondTolerance.TotalMilliseconds} ms");
        Assert.True(line.Pushes > 0);
    }

    [Fact]
    public void A_number_never_goes_up_while_the_line_only_moves_forward_and_its_wait_matches_it()
    {
        var line = new LineSimulation(20_000, SecondsPerCustomer);

        line.Run(TimeSpan.FromSeconds(60), perSecond: 20);

        foreach (var shown in line.Shown)
        {
            for (var i = 1; i < shown.Count; i++)
            {
                Assert.True(shown[i].Position < shown[i - 1].Position, $"shown {shown[i - 1].Position}, then {shown[i].Position}");
                Assert.True(shown[i].EstimatedWaitSeconds <= shown[i - 1].EstimatedWaitSeconds);
            }

            // The wait shown is the wait of the number shown, at the line's pace: never of another number.
            Assert.All(shown, p => Assert.Equal(ServicePace.EstimatedWaitSeconds(p.Position, SecondsPerCustomer), p.EstimatedWaitSeconds));
        }
    }

    [Fact]
    public void When_the_line_stops_every_screen_ends_on_the_true_number()
    {
        var line = new LineSimulation(20_000, SecondsPerCustomer);
        line.Run(TimeSpan.FromSeconds(30), perSecond: 20);
        Assert.True(line.NotOnTheirTrueNumber() > 10_000, "while it moves, most screens are within their tolerance, not exact");

        line.Run(NumberBudget.SettleAfter(int.MaxValue) + NumberBudget.MinInterval + LineSimulation.Tick, perSecond: 0);

        Assert.Equal(0, line.NotOnTheirTrueNumber());
    }

    [Fact]
    public void The_pushes_of_a_line_grow_far_slower_than_its_length()
    {
        var shorter = PushesPerSecond(5_000);
        var longer = PushesPerSecond(20_000);

        // Four times the line costs about twice the pushes (every change to everyone would cost four times),
        // and 20,000 waiting cost less than a quarter of one push per waiter per second.
        Assert.True(longer < 2.5 * shorter, $"{shorter:F0}/s at 5,000 waiting, {longer:F0}/s at 20,000");
        Assert.True(longer < 20_000 / 4.0, $"{longer:F0}/s at 20,000 waiting");
    }

    [Fact]
    public void Those_at_the_front_see_every_change()
    {
        var line = new LineSimulation(2_000, SecondsPerCustomer);

        line.Run(TimeSpan.FromSeconds(10.5), perSecond: 1);

        // The 15th moved up one place a second: at the front, each step is shown.
        Assert.Equal(Enumerable.Range(5, 11).Reverse(), line.Shown[14].Select(p => p.Position));
    }

    [Fact]
    public void Nobody_is_pushed_twice_within_the_interval_however_fast_the_line()
    {
        var line = new LineSimulation(2_000, SecondsPerCustomer);

        line.Run(TimeSpan.FromSeconds(60), perSecond: 30);

        foreach (var shown in line.Shown)
        {
            var times = shown.Select(p => p.PushedAt).OfType<DateTimeOffset>().ToList();
            Assert.All(times.Zip(times.Skip(1)), pair => Assert.True(pair.Second - pair.First >= NumberBudget.MinInterval));
        }
    }

    private static double PushesPerSecond(int waiting)
    {
        var line = new LineSimulation(waiting, SecondsPerCustomer);
        line.Run(TimeSpan.FromSeconds(10), perSecond: 20); // past the first refreshes of everyone
        var before = line.Pushes;
        line.Run(TimeSpan.FromSeconds(30), perSecond: 20);
        return (line.Pushes - before) / 30.0;
    }
}
