namespace OrleansSupport.ScalingModel;

/// <summary>costs.json: the unit costs measured on this box, one property per cost.</summary>
public sealed record CostFile
{
    public required string About { get; init; }

    public required CostSheet Costs { get; init; }

    public static CostSheet Load(string path) => ModelJson.Read<CostFile>(path).Costs;
}

/// <summary>The unit costs the model multiplies (see each one's unit and derivation in costs.json).</summary>
public sealed record CostSheet
{
    /// <summary>Throws unless every cost is above zero: the model divides by most of them.</summary>
    public void Validate()
    {
        var wrong = GetType().GetProperties()
            .Where(p => p.PropertyType == typeof(MeasuredCost) && ((MeasuredCost)p.GetValue(this)!).Value <= 0)
            .Select(p => p.Name)
            .ToList();
        if (wrong.Count > 0)
        {
            throw new ArgumentException($"costs must be above zero: {string.Join(", ", wrong)}.");
        }
    }

    public required MeasuredCost FrontendCpuPerProcess { get; init; }

    public required MeasuredCost FrontendCpuPer1000Connections { get; init; }

    public required MeasuredCost FrontendCpuPerChatMessage { get; init; }

    public required MeasuredCost FrontendCpuPerQueueNumberPush { get; init; }

    public required MeasuredCost FrontendCpuPerAdmission { get; init; }

    public required MeasuredCost SiloCpuPerAdmission { get; init; }

    public required MeasuredCost SiloCpuPerChatMessage { get; init; }

    public required MeasuredCost QueueNumberPushesPerWaitingCustomer { get; init; }

    public required MeasuredCost FrontendMemoryPerSession { get; init; }

    public required MeasuredCost SiloMemoryPerSession { get; init; }

    public required MeasuredCost ProcessMemoryAtRest { get; init; }

    public required MeasuredCost OpenFilesPerProcess { get; init; }

    public required MeasuredCost LargestMeasuredConnectionsPerFrontend { get; init; }

    public required MeasuredCost HotQueueAdmissionsCeiling { get; init; }

    public required MeasuredCost StorageCommitMs { get; init; }

    public required MeasuredCost QueueHeaderBytesPerWrite { get; init; }

    public required MeasuredCost QueueEntryBytesPerChange { get; init; }

    public required MeasuredCost StorageRowsPerQueueChange { get; init; }

    public required MeasuredCost StorageRowsPerQueueWrite { get; init; }

    public required MeasuredCost StorageRowsPerChatMessage { get; init; }

    public required MeasuredCost TranscriptPageMessages { get; init; }
}
