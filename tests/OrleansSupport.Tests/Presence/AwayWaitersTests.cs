using OrleansSupport.Presence;

namespace OrleansSupport.Tests.Presence;

/// <summary>The queue's record of waiters whose customer has no connection: away, back, gone past the grace.</summary>
public sealed class AwayWaitersTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly Guid _here = Guid.NewGuid();
    private readonly Guid _gone = Guid.NewGuid();
    private readonly AwayWaiters _away = new(Grace);

    [Fact]
    public void A_waiter_without_a_connection_is_away_at_once_but_asked_to_leave_only_after_the_grace()
    {
        var first = Sweep([_here, _gone], Connected(_here), T0);

        Assert.True(_away.IsAway(_gone));
        Assert.False(_away.IsAway(_here));
        Assert.Equal(T0, _away.AwaySince(_gone));
        Assert.Empty(first.ToLeave);

        var withinGrace = Sweep([_here, _gone], Connected(_here), T0 + Grace - TimeSpan.FromSeconds(1));
        Assert.Empty(withinGrace.ToLeave);

        var pastGrace = Sweep([_here, _gone], Connected(_here), T0 + Grace);
        Assert.Equal([(_gone, T0)], pastGrace.ToLeave);
    }

    [Fact]
    public void A_waiter_found_connected_again_is_back_and_no_longer_away()
    {
        Sweep([_gone], Connected(), T0);

        var back = Sweep([_gone], Connected(_gone), T0 + TimeSpan.FromSeconds(30));

        Assert.Equal([_gone], back.Returned);
        Assert.False(_away.IsAway(_gone));
        Assert.Empty(Sweep([_gone], Connected(_gone), T0 + (2 * Grace)).ToLeave);
    }

    [Fact]
    public void A_gone_waiter_still_in_the_line_is_asked_again_only_every_ten_seconds_and_not_after_leaving()
    {
        Sweep([_gone], Connected(), T0);
        var asked = T0 + Grace;
        Assert.Single(Sweep([_gone], Connected(), asked).ToLeave);

        Assert.Empty(Sweep([_gone], Connected(), asked + TimeSpan.FromSeconds(2)).ToLeave);
        Assert.Equal([(_gone, T0)], Sweep([_gone], Connected(), asked + AwayWaiters.AskAgainAfter).ToLeave);

        _away.Left(_gone);
        Assert.False(_away.IsAway(_gone));
        Assert.Empty(Sweep([], Connected(), asked + (3 * AwayWaiters.AskAgainAfter)).ToLeave);
        Assert.Equal(0, _away.Count);
    }

    [Fact]
    public void An_inconclusive_answer_makes_nobody_away_and_asks_nobody_to_leave_but_brings_back_whoever_was_found()
    {
        Sweep([_gone, _here], Connected(), T0);

        var sweep = Sweep([_gone, _here, Guid.NewGuid()], Inconclusive(_here), T0 + (2 * Grace));

        Assert.Empty(sweep.ToLeave);
        Assert.Equal([_here], sweep.Returned);
        Assert.True(_away.IsAway(_gone));
        Assert.Equal(T0, _away.AwaySince(_gone));
        Assert.Equal(1, _away.Count);
    }

    [Fact]
    public void A_customer_calling_the_queue_is_here_even_if_the_answer_in_flight_says_otherwise()
    {
        Sweep([_gone], Connected(), T0);
        Assert.True(_away.CustomerCalled(_gone));
        Assert.False(_away.IsAway(_gone));

        // The frontends are asked, then the customer calls before the answer is applied.
        _away.StartSweep([_gone]);
        Assert.False(_away.CustomerCalled(_gone));
        var sweep = _away.FinishSweep(Connected(), T0 + (2 * Grace));

        Assert.False(_away.IsAway(_gone));
        Assert.Empty(sweep.ToLeave);
    }

    [Fact]
    public void A_waiter_who_leaves_during_a_sweep_or_without_being_told_is_forgotten()
    {
        _away.StartSweep([_gone, _here]);
        _away.Left(_gone);
        _away.FinishSweep(Connected(), T0);

        Assert.False(_away.IsAway(_gone));
        Assert.True(_away.IsAway(_here));

        // Taken from the line without a call to Left: the next sweep starts from the line as it is.
        Sweep([], Connected(), T0 + TimeSpan.FromSeconds(2));
        Assert.Equal(0, _away.Count);
    }

    [Fact]
    public void A_waiter_who_joins_while_the_frontends_are_asked_is_not_judged_by_that_answer()
    {
        var newcomer = Guid.NewGuid();
        var asked = _away.StartSweep([_here]);

        _away.FinishSweep(Connected(_here), T0); // conclusive, and the newcomer is not in it

        Assert.Equal([_here], asked);
        Assert.False(_away.IsAway(newcomer));
        Assert.Same(AwaySweep.Nothing, _away.FinishSweep(Connected(), T0)); // one answer per sweep
    }

    private AwaySweep Sweep(Guid[] line, PresenceAnswer answer, DateTimeOffset now)
    {
        _away.StartSweep(line);
        return _away.FinishSweep(answer, now);
    }

    private static PresenceAnswer Connected(params Guid[] ids) => new(ids.ToHashSet(), Conclusive: true);

    private static PresenceAnswer Inconclusive(params Guid[] ids) => new(ids.ToHashSet(), Conclusive: false);
}
