namespace OrleansSupport.ScalingModel;

/// <summary>What a target needs: machines per tier, PostgreSQL's load, the hottest queue, and where each limit sits.</summary>
public sealed record CapacityPlan(
    ScalingTarget Target,
    int OpenFilesPerProcess,
    Tier Frontends,
    Tier Silos,
    StorageLoad Storage,
    HottestQueueLoad HottestQueue,
    IReadOnlyList<Limit> Limits)
{
    /// <summary>With these machine counts and the load growing in the same mix, the limit reached first.</summary>
    public Limit FirstLimit => Limits[0];
}

/// <summary>Frontends or silos: how many machines, and which resource decides it.</summary>
public sealed record Tier(
    string Name,
    int Needed,
    string Binding,
    IReadOnlyList<ResourceBound> Bounds,
    IReadOnlyList<Workload> OneMachineCarries,
    IReadOnlyList<string> Notes);

/// <summary>
/// One resource of a tier: the target's demand, what one machine gives within the headroom, the machines
/// that alone would need, and each machine's share of its capacity at the tier's count.
/// </summary>
public sealed record ResourceBound(string Resource, double Demand, double CapacityPerMachine, string Unit, int MachinesNeeded, double Utilisation);

/// <summary>How much of one kind of work a machine's CPU carries when it does nothing else.</summary>
public sealed record Workload(string Work, double Amount);

/// <summary>What PostgreSQL must take each second.</summary>
public sealed record StorageLoad(
    double WritesPerSecond,
    double CommitsPerSecondAtMost,
    double CommitsPerSecondPerSilo,
    double RowsPerSecond,
    double BytesPerSecond,
    double MessageRowsPerSecond,
    double MessageBytesPerSecond,
    double QueueRowsPerSecond,
    double QueueBytesPerSecond);

/// <summary>The one queue grain that takes the most, against what one grain was seen to take.</summary>
public sealed record HottestQueueLoad(
    double ArrivalsPerSecond,
    double Ceiling,
    double Utilisation,
    double ChangesPerSecond,
    double WritesPerSecond,
    double DeltasEachFrontendAppliesPerSecond,
    double NumberPushesPerSecond);

/// <summary>One limit, where it sits for one unit, and how much of it the plan uses.</summary>
public sealed record Limit(string Where, string Resource, double CapacityPerUnit, string Unit, double Utilisation, bool ScalesOut);
