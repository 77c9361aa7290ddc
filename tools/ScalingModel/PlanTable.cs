using static OrleansSupport.ScalingModel.Figures;

namespace OrleansSupport.ScalingModel;

/// <summary>One plan as tables for people to read.</summary>
public static class PlanTable
{
    public static void Write(CapacityPlan plan, TextWriter output)
    {
        var t = plan.Target;
        output.WriteLine($"Scaling model: {t.Name}");
        output.WriteLine($"load: {Amount(t.Sessions)} sessions, {Amount(t.ChatMessagesPerSecond)} chat messages/s, "
            + $"{Amount(t.WaitingInAllQueues)} waiting ({Amount(t.WaitingInHottestQueue)} in the hottest queue), "
            + $"{Amount(t.ArrivalsPerSecond)} arrivals/s ({Amount(t.HottestQueueArrivalsPerSecond)} into the hottest queue)");
        output.WriteLine($"machines: {Amount(t.Machine.Cores)} cores and {Amount(t.Machine.MemoryGiB)} GiB, one process each, "
            + $"used to {Share(t.Headroom)}; {Amount(plan.OpenFilesPerProcess)} open files per process");
        WriteTier(plan.Frontends, "frontend", output);
        WriteTier(plan.Silos, "silo", output);
        WriteStorage(plan, output);
        WriteHottestQueue(plan.HottestQueue, output);
        WriteLimits(plan, output);
    }

    private static void WriteTier(Tier tier, string machine, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{Capitalised(tier.Name)}: {tier.Needed}, bound by {tier.Binding}");
        output.WriteLine($"  {"resource",-11} {"demand",-24} {"one " + machine + " gives",-22} {"alone needs",11} {"use of each",12}");
        foreach (var b in tier.Bounds)
        {
            output.WriteLine($"  {b.Resource,-11} {Amount(b.Demand) + " " + b.Unit,-24} {Amount(b.CapacityPerMachine) + " " + b.Unit,-22} "
                + $"{b.MachinesNeeded,11} {Share(b.Utilisation),12}");
        }

        output.WriteLine($"  one {machine}'s CPU alone carries {string.Join(", or ", tier.OneMachineCarries.Select(w => $"{Amount(w.Amount)} {w.Work}"))}");
        foreach (var note in tier.Notes)
        {
            output.WriteLine($"  note: {note}");
        }
    }

    private static void WriteStorage(CapacityPlan plan, TextWriter output)
    {
        var s = plan.Storage;
        output.WriteLine();
        output.WriteLine("PostgreSQL (one database; its own ceiling is not measured here)");
        output.WriteLine($"  {"writes/s",-18} {Amount(s.WritesPerSecond),12}   chat messages {Amount(plan.Target.ChatMessagesPerSecond)}, "
            + $"queue writes {Amount(s.WritesPerSecond - plan.Target.ChatMessagesPerSecond)}");
        output.WriteLine($"  {"commits/s, at most",-18} {Amount(s.CommitsPerSecondAtMost),12}   {plan.Silos.Needed} silo(s), each committing "
            + $"one transaction at a time: at most {Amount(s.CommitsPerSecondPerSilo)}/s each");
        output.WriteLine($"  {"rows/s",-18} {Amount(s.RowsPerSecond),12}   transcript pages {Amount(s.MessageRowsPerSecond)}, queues {Amount(s.QueueRowsPerSecond)}");
        output.WriteLine($"  {"bytes/s",-18} {MiB(s.BytesPerSecond),12}   transcript pages {MiB(s.MessageBytesPerSecond)}, queues {MiB(s.QueueBytesPerSecond)}");
    }

    private static void WriteHottestQueue(HottestQueueLoad q, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"Hottest queue: {Amount(q.ArrivalsPerSecond)} arrivals/s against one grain's {Amount(q.Ceiling)}/s: {Share(q.Utilisation)}");
        output.WriteLine($"  changes/s {Amount(q.ChangesPerSecond)}, writes/s {Amount(q.WritesPerSecond)}, "
            + $"changes each frontend applies/s {Amount(q.DeltasEachFrontendAppliesPerSecond)}, number pushes/s {Amount(q.NumberPushesPerSecond)}");
    }

    private static void WriteLimits(CapacityPlan plan, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine("Where each limit sits: one machine or grain, and its use at the counts above, nearest first");
        foreach (var l in plan.Limits)
        {
            output.WriteLine($"  {l.Where + ": " + l.Resource,-26} {Amount(l.CapacityPerUnit) + " " + l.Unit,-22} {Share(l.Utilisation),8}"
                + (l.ScalesOut ? "" : "   does not grow with machines"));
        }

        var first = plan.FirstLimit;
        output.WriteLine(first.Utilisation > 0
            ? $"First limit as this load grows in the same mix: {first.Where}, {first.Resource}, reached at {Share(1 / first.Utilisation)} of it"
            : "First limit as this load grows: none is used yet");
    }

    private static string Capitalised(string name) => char.ToUpperInvariant(name[0]) + name[1..];
}
