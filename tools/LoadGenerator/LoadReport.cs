using System.Text;
using System.Text.Json;

namespace OrleansSupport.LoadGenerator;

/// <summary>Rates once everyone is in: messages and queue-number pushes a second, customers waiting on average.</summary>
public sealed record SteadyFigures(double MessagesPerSecond, double PushesPerSecond, double Waiting);

/// <summary>The figures of one run, printed as a table and written as JSON.</summary>
public sealed record LoadReport(
    string Scenario,
    string[] Urls,
    int Customers,
    int SpikeCustomers,
    int Operators,
    double Seconds,
    long Connected,
    long SessionsHeld,
    long Completed,
    long Abandoned,
    long Unserved,
    long GaveUpWaiting,
    long Errors,
    Dictionary<string, long> ErrorKinds,
    long MessagesSent,
    long MessagesReceived,
    double MessagesPerSecond,
    double? SteadyMessagesPerSecond,
    double? SteadyPushesPerSecond,
    double? SteadyWaiting,
    long Lost,
    long Duplicated,
    long OutOfOrder,
    long PositionPushes,
    long PositionPushesOverTwoPerSecond,
    long? ClosestThreePushesMs,
    long PositionArrivalsThreeWithinASecond,
    long? ClosestThreeArrivalsMs,
    Dictionary<string, LoadMetrics.LatencySummary> Latencies,
    BaselineFigures? Baseline,
    double? ThroughputToBaseline,
    List<ServerFigures> Servers,
    double GeneratorCpuPercent,
    double ServerMemoryBeforeMb,
    double ServerMemoryPeakMb,
    double? ServerKbPerHeldSession,
    double? ServerMemoryDriftPercent,
    double[] ServerMemoryByMinuteMb)
{
    public bool Clean => Lost == 0 && Duplicated == 0 && OutOfOrder == 0;

    /// <summary>Queue-number pushes a second per 1,000 customers waiting, once steady: what the push budget costs.</summary>
    public double? PushesPerThousandWaiting =>
        SteadyPushesPerSecond is { } pushes && SteadyWaiting is > 0 and var waiting ? Math.Round(pushes * 1000 / waiting, 1) : null;

    public static LoadReport From(
        LoadOptions o, LoadMetrics m, TimeSpan elapsed, SteadyFigures? steady, double generatorCpu, BaselineFigures? baseline,
        List<ServerFigures> servers, double? drift, double[] memoryByMinute, long memoryBefore, long memoryPeak)
    {
        var overRun = Math.Round(m.MessagesReceived / Math.Max(elapsed.TotalSeconds, 0.001), 1);
        return new(
            o.Scenario, [.. o.Urls.Select(u => u.ToString())], o.Customers, o.SpikeCustomers, o.Operators, Math.Round(elapsed.TotalSeconds, 1),
            m.Connected, m.SessionsHeld, m.Completed, m.Abandoned, m.Unserved, m.GaveUpWaiting, m.Errors, new(m.ErrorKinds), m.MessagesSent, m.MessagesReceived,
            overRun, steady?.MessagesPerSecond, steady?.PushesPerSecond, steady?.Waiting,
            m.Lost, m.Duplicated, m.OutOfOrder, m.PositionPushes, m.PushedTooFast.Count, m.PushedTooFast.ClosestMs,
            m.ArrivedTooFast.Count, m.ArrivedTooFast.ClosestMs,
            new()
            {
                ["connect -> session started"] = m.ConnectToSession.Summary(),
                ["connect -> first queue number"] = m.ConnectToFirstNumber.Summary(),
                ["spike: connect -> first number"] = m.SpikeConnectToFirstNumber.Summary(),
                ["queue number change -> client"] = m.QueueNumberChange.Summary(),
                ["  the same, steady (after ramp)"] = m.QueueNumberChangeSteady.Summary(),
                ["queued -> operator joined"] = m.QueueToOperator.Summary(),
                ["operator accept -> customer"] = m.AcceptToCustomer.Summary(),
                ["message sender -> receiver"] = m.MessageEndToEnd.Summary(),
                ["  message, steady (after ramp)"] = m.MessageEndToEndSteady.Summary(),
                ["generator lag, 20 ms timer"] = m.GeneratorLag.Summary(),
            },
            baseline,
            baseline is { RoundTripsPerSecond: > 0 } b && m.MessagesReceived > 0 ? Math.Round((steady?.MessagesPerSecond ?? overRun) / b.RoundTripsPerSecond, 3) : null,
            servers, generatorCpu, Mb(memoryBefore), Mb(memoryPeak),
            m.SessionsHeld > 0 ? Math.Round((memoryPeak - memoryBefore) / 1024.0 / m.SessionsHeld, 1) : null,
            drift, memoryByMinute);
    }

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine($"scenario {Scenario} against {string.Join(", ", Urls)}: {Customers} customers (+{SpikeCustomers} spike), {Operators} operators, {Seconds} s");
        text.AppendLine($"connected {Connected}, sessions held {SessionsHeld}, completed {Completed}, abandoned {Abandoned}, unserved {Unserved}, errors {Errors}");
        if (GaveUpWaiting > 0)
        {
            text.AppendLine($"customers who stopped waiting for an answer after {CustomerBot.AnswerWait.TotalSeconds} s: {GaveUpWaiting}");
        }

        foreach (var (kind, count) in ErrorKinds)
        {
            text.AppendLine($"  error x{count}: {kind}");
        }

        text.AppendLine($"messages sent {MessagesSent}, received {MessagesReceived} ({MessagesPerSecond}/s over the run, {SteadyMessagesPerSecond?.ToString() ?? "-"}/s steady)");
        text.AppendLine($"queue number pushes {PositionPushes}, of which over 2 a second for one customer: {PositionPushesOverTwoPerSecond}"
            + (ClosestThreePushesMs is { } closest ? $" (closest 3 to one customer: {closest} ms)" : ""));
        if (SteadyPushesPerSecond is { } pushes && SteadyWaiting is > 0 and var waiting)
        {
            text.AppendLine($"  steady: {pushes}/s with {waiting} waiting on average = {PushesPerThousandWaiting}/s per 1,000 waiting");
        }

        text.AppendLine($"  as they arrived here: 3 within a second {PositionArrivalsThreeWithinASecond}"
            + (ClosestThreeArrivalsMs is { } closestArrived ? $" (closest 3: {closestArrived} ms)" : ""));
        text.AppendLine($"{"latency (ms)",-32}{"count",8}{"p50",9}{"p90",9}{"p99",9}{"p99.9",9}{"max",9}");
        foreach (var (name, l) in Latencies.Where(l => l.Value.Count > 0))
        {
            text.AppendLine($"{name,-32}{l.Count,8}{l.P50Ms,9:F1}{l.P90Ms,9:F1}{l.P99Ms,9:F1}{l.P999Ms,9:F1}{l.MaxMs,9:F1}");
        }

        if (Baseline is { } b)
        {
            text.AppendLine($"raw SignalR echo baseline: {b.Connections} connections, {b.RoundTripsPerSecond} round trips/s (p99 {b.RoundTrip.P99Ms:F1} ms, server CPU {b.ServerCpuPercent}%)");
            text.AppendLine($"throughput / baseline: {(ThroughputToBaseline is { } r ? $"{r:P1}" : "-")}");
        }

        foreach (var s in Servers)
        {
            var steadyCpu = s.SteadyCpuPercent is { } c ? $", steady {c}%" : "";
            text.AppendLine($"server {s.Name} (pid {s.Pid}): CPU {s.CpuPercent}%{steadyCpu} (100% = one core), memory {s.RssStartMb} -> peak {s.RssPeakMb} -> end {s.RssEndMb} MB");
        }

        text.AppendLine($"load generator (this process): CPU {GeneratorCpuPercent}%");
        text.AppendLine($"servers' memory before customers {ServerMemoryBeforeMb} MB, peak {ServerMemoryPeakMb} MB"
            + (ServerKbPerHeldSession is { } kb ? $", {kb} KB per held session" : "")
            + (ServerMemoryDriftPercent is { } d ? $", drift {d}% (last tenth vs second tenth)" : ""));
        if (ServerMemoryByMinuteMb.Length > 1)
        {
            text.AppendLine($"servers' memory by minute (MB): {string.Join(", ", ServerMemoryByMinuteMb)}");
        }

        text.AppendLine(Clean
            ? "lost 0, duplicated 0, out of order 0"
            : $"!!! LOST {Lost}, DUPLICATED {Duplicated}, OUT OF ORDER {OutOfOrder} !!!");
        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });

    private static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);
}
