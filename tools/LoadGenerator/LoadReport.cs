using System.Text;
using System.Text.Json;

namespace OrleansSupport.LoadGenerator;

/// <summary>The figures of one run, printed as a table and written as JSON.</summary>
public sealed record LoadReport(
    string Scenario,
    string Url,
    int Customers,
    int Operators,
    double Seconds,
    long Connected,
    long Completed,
    long Abandoned,
    long Unserved,
    long Errors,
    long MessagesSent,
    long MessagesReceived,
    double MessagesPerSecond,
    long Lost,
    long Duplicated,
    long OutOfOrder,
    LoadMetrics.LatencySummary ConnectToFirstQueueNumber,
    LoadMetrics.LatencySummary QueueToOperator,
    LoadMetrics.LatencySummary MessageEndToEnd)
{
    public bool Clean => Lost == 0 && Duplicated == 0 && OutOfOrder == 0;

    public static LoadReport From(LoadOptions o, LoadMetrics m, TimeSpan elapsed) => new(
        o.Scenario, o.Url.ToString(), o.Customers, o.Operators, Math.Round(elapsed.TotalSeconds, 1),
        m.Connected, m.Completed, m.Abandoned, m.Unserved, m.Errors, m.MessagesSent, m.MessagesReceived,
        Math.Round(m.MessagesReceived / Math.Max(elapsed.TotalSeconds, 0.001), 1),
        m.Lost, m.Duplicated, m.OutOfOrder,
        m.ConnectToFirstNumber.Summary(), m.QueueToOperator.Summary(), m.MessageEndToEnd.Summary());

    public string ToTable()
    {
        var text = new StringBuilder();
        text.AppendLine($"scenario {Scenario} against {Url}: {Customers} customers, {Operators} operators, {Seconds} s");
        text.AppendLine($"connected {Connected}, completed {Completed}, abandoned {Abandoned}, unserved {Unserved}, errors {Errors}");
        text.AppendLine($"messages sent {MessagesSent}, received {MessagesReceived} ({MessagesPerSecond}/s)");
        text.AppendLine($"{"latency (ms)",-30}{"count",8}{"p50",9}{"p90",9}{"p99",9}{"p99.9",9}{"max",9}");
        foreach (var (name, l) in new[] { ("connect -> first queue number", ConnectToFirstQueueNumber), ("queued -> operator joined", QueueToOperator), ("message sender -> receiver", MessageEndToEnd) })
        {
            text.AppendLine($"{name,-30}{l.Count,8}{l.P50Ms,9:F1}{l.P90Ms,9:F1}{l.P99Ms,9:F1}{l.P999Ms,9:F1}{l.MaxMs,9:F1}");
        }

        text.AppendLine(Clean
            ? "lost 0, duplicated 0, out of order 0"
            : $"!!! LOST {Lost}, DUPLICATED {Duplicated}, OUT OF ORDER {OutOfOrder} !!!");
        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
}
