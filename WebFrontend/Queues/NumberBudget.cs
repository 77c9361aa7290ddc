namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// When a waiting customer's number on screen must be refreshed. Pushing every change to everyone costs
/// the length of the line times its pace (19,000 waiting and 20 served a second: ~19,000 pushes a
/// second), yet a person far back cannot tell 10,412 from 10,409. So:
/// <list type="bullet">
/// <item>the first <see cref="FrontOfLine"/> see every change of their number;</item>
/// <item>further back, a number is refreshed once it has been more than <see cref="Tolerance"/> (1 % of
/// it, at least 1) off the truth for <see cref="DriftHold"/>, which keeps every screen within 1 % of the
/// truth but for stretches shorter than <see cref="MaxStale"/>, however fast the line moves;</item>
/// <item>any number that is off at all is corrected within <see cref="SettleAfter"/> (2-30 s, longer for
/// those further back), so a line that stops ends with everyone on their true number;</item>
/// <item>nobody gets two numbers within <see cref="MinInterval"/>.</item>
/// </list>
/// A refresh always shows the true number at that moment, so while the line only moves forward a number
/// never goes up. The pushes per second of a line grow with the logarithm of its length, not with it
/// (docs/architecture.md, "The push budget").
/// </summary>
public static class NumberBudget
{
    /// <summary>
    /// 600 ms, not 500: a customer must never see more than 2 numbers in a second, and pushes sent 500 ms
    /// apart can arrive closer together.
    /// </summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(600);

    /// <summary>Those about to be served watch every step.</summary>
    public const int FrontOfLine = 20;

    /// <summary>The promise: no screen is further off than <see cref="Tolerance"/> for longer than this.</summary>
    public static readonly TimeSpan MaxStale = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a number may stay beyond its tolerance before it is refreshed: <see cref="MaxStale"/>
    /// less room for the frontend to notice (it goes through a whole line every 200 ms), for its tick
    /// (50 ms) and for the push to travel.
    /// </summary>
    public static readonly TimeSpan DriftHold = TimeSpan.FromMilliseconds(1200);

    private static readonly TimeSpan SettlePerPlace = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan SettleMin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan SettleMax = TimeSpan.FromSeconds(30);

    /// <summary>How far a shown number may be from the truth without needing a refresh: 1 % of it, at least 1.</summary>
    public static double Tolerance(int shown) => Math.Max(1, shown / 100.0);

    /// <summary>How long any difference may last: 5 ms per place ahead, between 2 and 30 seconds.</summary>
    public static TimeSpan SettleAfter(int position) =>
        TimeSpan.FromTicks(Math.Clamp(SettlePerPlace.Ticks * position, SettleMin.Ticks, SettleMax.Ticks));

    /// <summary>
    /// When a number that differs from the truth falls due for a refresh, from when it first differed
    /// (<paramref name="unequalSince"/>) and when it first went beyond its tolerance (<paramref name="driftSince"/>,
    /// null while within it); the caller also keeps <see cref="MinInterval"/> since the last push.
    /// </summary>
    public static DateTimeOffset DueAt(int truth, DateTimeOffset unequalSince, DateTimeOffset? driftSince)
    {
        if (truth <= FrontOfLine)
        {
            return unequalSince;
        }

        var settled = unequalSince + SettleAfter(truth);
        return driftSince is { } drift && drift + DriftHold < settled ? drift + DriftHold : settled;
    }
}
