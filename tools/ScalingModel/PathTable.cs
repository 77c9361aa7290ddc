using static OrleansSupport.ScalingModel.Figures;

namespace OrleansSupport.ScalingModel;

/// <summary>One target at several scales, one line each: the path from a small load to the whole of it.</summary>
public static class PathTable
{
    public static void Write(IReadOnlyList<(double Scale, CapacityPlan Plan)> steps, TextWriter output)
    {
        output.WriteLine($"Scaling model, step by step: {steps[0].Plan.Target.Name}");
        output.WriteLine($"{"scale",6} {"sessions",10} {"messages/s",11} {"hot arrivals/s",15}  {"frontends (bound)",-20} {"silos (bound)",-15} "
            + $"{"PG commits/s, max",17} {"PG rows/s",10} {"PG MiB/s",9} {"hottest queue",14}  first limit");
        foreach (var (scale, plan) in steps)
        {
            var t = plan.Target;
            var first = plan.FirstLimit;
            output.WriteLine($"{Share(scale),6} {Amount(t.Sessions),10} {Amount(t.ChatMessagesPerSecond),11} {Amount(t.HottestQueueArrivalsPerSecond),15}  "
                + $"{$"{plan.Frontends.Needed} ({plan.Frontends.Binding})",-20} {$"{plan.Silos.Needed} ({plan.Silos.Binding})",-15} "
                + $"{Amount(plan.Storage.CommitsPerSecondAtMost),17} {Amount(plan.Storage.RowsPerSecond),10} "
                + $"{Amount(plan.Storage.BytesPerSecond / (1024 * 1024)),9} {Share(plan.HottestQueue.Utilisation),14}  "
                + $"{first.Where}: {first.Resource} {Share(first.Utilisation)}");
        }
    }
}
