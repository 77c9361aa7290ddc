namespace OrleansSupport.ScalingModel;

/// <summary>A load to plan for (targets/*.json) and the machines to plan it on.</summary>
public sealed record ScalingTarget
{
    public required string Name { get; init; }

    /// <summary>Open customer sessions, one connection each.</summary>
    public required int Sessions { get; init; }

    public required double ChatMessagesPerSecond { get; init; }

    public required int WaitingInAllQueues { get; init; }

    public required int WaitingInHottestQueue { get; init; }

    /// <summary>Customers joining a queue each second, all queues together.</summary>
    public required double ArrivalsPerSecond { get; init; }

    public required double HottestQueueArrivalsPerSecond { get; init; }

    /// <summary>A stored message with its id, time and author: a property of the chats, not measured here.</summary>
    public required int StoredMessageBytes { get; init; }

    public required Machine Machine { get; init; }

    /// <summary>The share of a machine's CPU and memory the plan may use, the rest kept for bursts (open files count in full).</summary>
    public required double Headroom { get; init; }

    public static ScalingTarget Load(string path) => ModelJson.Read<ScalingTarget>(path);

    /// <summary>The same mix of load, times <paramref name="factor"/>, on the same machines.</summary>
    public ScalingTarget Scaled(double factor) => this with
    {
        Sessions = (int)Math.Round(Sessions * factor),
        ChatMessagesPerSecond = ChatMessagesPerSecond * factor,
        WaitingInAllQueues = (int)Math.Round(WaitingInAllQueues * factor),
        WaitingInHottestQueue = (int)Math.Round(WaitingInHottestQueue * factor),
        ArrivalsPerSecond = ArrivalsPerSecond * factor,
        HottestQueueArrivalsPerSecond = HottestQueueArrivalsPerSecond * factor,
    };

    /// <summary>Throws on a target whose figures contradict each other.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (Sessions < 0 || ChatMessagesPerSecond < 0 || WaitingInAllQueues < 0 || WaitingInHottestQueue < 0
            || ArrivalsPerSecond < 0 || HottestQueueArrivalsPerSecond < 0 || StoredMessageBytes < 0)
        {
            problems.Add("loads must not be negative");
        }

        if (WaitingInHottestQueue > WaitingInAllQueues || HottestQueueArrivalsPerSecond > ArrivalsPerSecond)
        {
            problems.Add("the hottest queue cannot hold or admit more than all queues together");
        }

        if (WaitingInAllQueues > Sessions)
        {
            problems.Add("every waiting customer has a session: waiting must not exceed sessions");
        }

        if (Headroom is <= 0 or > 1)
        {
            problems.Add("headroom is a share of a machine: above 0, at most 1");
        }

        if (Machine.Cores <= 0 || Machine.MemoryGiB <= 0 || Machine.OpenFilesPerProcess is <= 0)
        {
            problems.Add("a machine needs cores, memory and open files");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"target '{Name}': {string.Join("; ", problems)}.");
        }
    }
}

/// <summary>One machine, running one silo or one frontend.</summary>
public sealed record Machine
{
    public required double Cores { get; init; }

    public required double MemoryGiB { get; init; }

    /// <summary>The machine's limit of open files per process; null keeps the one measured here.</summary>
    public int? OpenFilesPerProcess { get; init; }
}
