namespace OrleansSupport.ScalingModel;

/// <summary>
/// The arithmetic from measured unit costs to machines: each tier takes as many machines as its most
/// demanding resource needs, one process per machine. Costs are added as if independent; each was measured
/// with others running beside it, so the sums are upper bounds.
/// </summary>
public static class CapacityModel
{
    /// <summary>Every customer who joins a line leaves it again, served or not: two changes of the queue.</summary>
    public const int QueueChangesPerArrival = 2;

    public static CapacityPlan Plan(CostSheet costs, ScalingTarget target)
    {
        costs.Validate();
        target.Validate();
        var openFiles = target.Machine.OpenFilesPerProcess ?? (int)costs.OpenFilesPerProcess.Value;
        var frontends = Frontends(costs, target, openFiles);
        var silos = Silos(costs, target);
        var queue = HottestQueue(costs, target);
        var storage = Storage(costs, target, silos.Needed);
        return new CapacityPlan(target, openFiles, frontends, silos, storage, queue, Limits(frontends, silos, queue));
    }

    private static Tier Frontends(CostSheet costs, ScalingTarget target, int openFiles)
    {
        var cpuEach = target.Machine.Cores * target.Headroom - Cores(costs.FrontendCpuPerProcess);
        var memoryEach = target.Machine.MemoryGiB * target.Headroom - costs.ProcessMemoryAtRest.Value / 1024;
        var pushes = target.WaitingInAllQueues * costs.QueueNumberPushesPerWaitingCustomer.Value;
        var cpu = target.Sessions / 1000.0 * Cores(costs.FrontendCpuPer1000Connections)
            + CoresFor(target.ChatMessagesPerSecond, costs.FrontendCpuPerChatMessage)
            + CoresFor(pushes, costs.FrontendCpuPerQueueNumberPush)
            + CoresFor(target.ArrivalsPerSecond, costs.FrontendCpuPerAdmission);
        var memory = target.Sessions * costs.FrontendMemoryPerSession.Value / (1024 * 1024);

        var (needed, bounds) = Size("frontend", [
            ("CPU", cpu, cpuEach, "cores"),
            ("memory", memory, memoryEach, "GiB"),
            ("open files", target.Sessions, openFiles, "connections")]);

        var notes = new List<string>();
        var perFrontend = (double)target.Sessions / needed;
        var measured = costs.LargestMeasuredConnectionsPerFrontend.Value;
        if (perFrontend > measured)
        {
            notes.Add($"{perFrontend:N0} connections per frontend: beyond the {measured:N0} one frontend held in a benchmark (P1)");
        }

        return new Tier("frontends", needed, Binding(bounds), bounds,
        [
            new("idle connections", cpuEach / Cores(costs.FrontendCpuPer1000Connections) * 1000),
            new("chat messages/s", PerSecond(cpuEach, costs.FrontendCpuPerChatMessage)),
            new("queue-number pushes/s", PerSecond(cpuEach, costs.FrontendCpuPerQueueNumberPush)),
            new("admissions/s", PerSecond(cpuEach, costs.FrontendCpuPerAdmission)),
        ], notes);
    }

    private static Tier Silos(CostSheet costs, ScalingTarget target)
    {
        var cpuEach = target.Machine.Cores * target.Headroom;
        var memoryEach = target.Machine.MemoryGiB * target.Headroom - costs.ProcessMemoryAtRest.Value / 1024;
        var cpu = CoresFor(target.ChatMessagesPerSecond, costs.SiloCpuPerChatMessage)
            + CoresFor(target.ArrivalsPerSecond, costs.SiloCpuPerAdmission);
        var memory = target.Sessions * costs.SiloMemoryPerSession.Value / (1024 * 1024);

        var (needed, bounds) = Size("silo", [("CPU", cpu, cpuEach, "cores"), ("memory", memory, memoryEach, "GiB")]);
        return new Tier("silos", needed, Binding(bounds), bounds,
        [
            new("chat messages/s", PerSecond(cpuEach, costs.SiloCpuPerChatMessage)),
            new("admissions/s", PerSecond(cpuEach, costs.SiloCpuPerAdmission)),
        ], ["a silo's own CPU at rest is not measured apart from its load"]);
    }

    private static HottestQueueLoad HottestQueue(CostSheet costs, ScalingTarget target)
    {
        var ceiling = costs.HotQueueAdmissionsCeiling.Value;
        var changes = target.HottestQueueArrivalsPerSecond * QueueChangesPerArrival;
        return new HottestQueueLoad(
            target.HottestQueueArrivalsPerSecond,
            ceiling,
            target.HottestQueueArrivalsPerSecond / ceiling,
            changes,
            QueueWrites(changes, CommitsPerSecondPerSilo(costs)),
            // Each frontend holding one of its waiters keeps a copy of the line and applies every change.
            target.WaitingInHottestQueue > 0 ? changes : 0,
            target.WaitingInHottestQueue * costs.QueueNumberPushesPerWaitingCustomer.Value);
    }

    private static StorageLoad Storage(CostSheet costs, ScalingTarget target, int silos)
    {
        var commitsPerSilo = CommitsPerSecondPerSilo(costs);
        var messageRows = target.ChatMessagesPerSecond * costs.StorageRowsPerChatMessage.Value;
        // The k-th message of a page rewrites the page with k messages in it.
        var messagesPerPageWrite = (costs.TranscriptPageMessages.Value + 1) / 2;
        var messageBytes = messageRows * messagesPerPageWrite * target.StoredMessageBytes;

        // The hottest queue writes once per commit at most, carrying every change that queued meanwhile;
        // the other queues' changes are taken as written one by one, which is the most writes they can cause.
        var changes = target.ArrivalsPerSecond * QueueChangesPerArrival;
        var hottestChanges = target.HottestQueueArrivalsPerSecond * QueueChangesPerArrival;
        var queueWrites = QueueWrites(hottestChanges, commitsPerSilo) + (changes - hottestChanges);
        var queueRows = changes * costs.StorageRowsPerQueueChange.Value + queueWrites * costs.StorageRowsPerQueueWrite.Value;
        var queueBytes = changes * costs.QueueEntryBytesPerChange.Value + queueWrites * costs.QueueHeaderBytesPerWrite.Value;

        // A silo's writer commits one transaction at a time, holding whatever queued during the one before.
        var writes = target.ChatMessagesPerSecond + queueWrites;
        return new StorageLoad(
            writes,
            Math.Min(writes, silos * commitsPerSilo),
            commitsPerSilo,
            messageRows + queueRows,
            messageBytes + queueBytes,
            messageRows,
            messageBytes,
            queueRows,
            queueBytes);
    }

    private static List<Limit> Limits(Tier frontends, Tier silos, HottestQueueLoad queue)
    {
        var limits = frontends.Bounds.Select(b => ScalingOut("frontend", b)).Concat(silos.Bounds.Select(b => ScalingOut("silo", b))).ToList();
        limits.Add(new Limit("hottest queue", "one grain", queue.Ceiling, "arrivals/s", queue.Utilisation, ScalesOut: false));
        return [.. limits.OrderByDescending(l => l.Utilisation)];
    }

    private static Limit ScalingOut(string machine, ResourceBound bound) =>
        new(machine, bound.Resource, bound.CapacityPerMachine, bound.Unit, bound.Utilisation, ScalesOut: true);

    /// <summary>Machines for the most demanding resource (at least one), and each resource's use at that count.</summary>
    private static (int Needed, List<ResourceBound> Bounds) Size(string machine, (string Resource, double Demand, double Capacity, string Unit)[] resources)
    {
        foreach (var r in resources.Where(r => r.Capacity <= 0))
        {
            throw new ArgumentException($"a {machine} machine has no {r.Resource} left within the headroom once its process runs");
        }

        // A demand of exactly n machines must not round up to n + 1 on floating-point noise.
        var alone = resources.Select(r => (r, Machines: (int)Math.Ceiling(r.Demand / r.Capacity - 1e-9))).ToList();
        var needed = Math.Max(1, alone.Max(a => a.Machines));
        return (needed, [.. alone.Select(a => new ResourceBound(a.r.Resource, a.r.Demand, a.r.Capacity, a.r.Unit, a.Machines, a.r.Demand / (needed * a.r.Capacity)))]);
    }

    /// <summary>The resource closest to its limit decides the count.</summary>
    private static string Binding(List<ResourceBound> bounds) => bounds.MaxBy(b => b.Utilisation)!.Resource;

    private static double CommitsPerSecondPerSilo(CostSheet costs) => 1000 / costs.StorageCommitMs.Value;

    private static double QueueWrites(double changes, double commitsPerSecond) => Math.Min(changes, commitsPerSecond);

    private static double Cores(MeasuredCost percentOfACore) => percentOfACore.Value / 100;

    private static double CoresFor(double perSecond, MeasuredCost msOfCpu) => perSecond * msOfCpu.Value / 1000;

    private static double PerSecond(double cores, MeasuredCost msOfCpu) => cores * 1000 / msOfCpu.Value;
}
