namespace OrleansSupport.Queues;

/// <summary>
/// How fast a line is being served, from the times its recent customers were taken by operators. The
/// estimate of a wait is the customer's number times the seconds one customer takes at that pace.
/// </summary>
public static class ServicePace
{
    /// <summary>Services older than this no longer say anything about the current pace.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    public const int MaxSamples = 50;

    /// <summary>A single service says little; never assume a pace faster than one per this span.</summary>
    private static readonly TimeSpan MinimumSpan = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Seconds per customer: the time since the oldest recent service divided by the services since. It
    /// grows by itself while nobody is served. Null when nobody was served within the window.
    /// </summary>
    public static double? SecondsPerCustomer(IReadOnlyList<DateTimeOffset> services, DateTimeOffset now)
    {
        var recent = services.Where(t => now - t <= Window).ToList();
        if (recent.Count == 0)
        {
            return null;
        }

        var span = now - recent.Min();
        return Math.Max(span.TotalSeconds, MinimumSpan.TotalSeconds) / recent.Count;
    }

    public static int? EstimatedWaitSeconds(int position, double? secondsPerCustomer) =>
        secondsPerCustomer is { } pace ? (int)Math.Ceiling(position * pace) : null;

    /// <summary>Adds a service time, keeping only the newest <see cref="MaxSamples"/>.</summary>
    public static void Record(List<DateTimeOffset> services, DateTimeOffset servedAt)
    {
        services.Add(servedAt);
        if (services.Count > MaxSamples)
        {
            services.RemoveRange(0, services.Count - MaxSamples);
        }
    }
}
