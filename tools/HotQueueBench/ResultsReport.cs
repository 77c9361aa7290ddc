using System.Text.Json;

namespace OrleansSupport.HotQueueBench;

/// <summary>The results as Markdown tables on stdout (what was measured, then where the time went), the floor's verdict, and JSON.</summary>
public static class ResultsReport
{
    public static void Print(IReadOnlyList<PhaseResult> results, BenchOptions options, TextWriter output)
    {
        output.WriteLine("| provider | waiting | operation | load | calls/s | p50 ms | p99 ms | max ms | calls | failed |");
        output.WriteLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine($"| {r.Provider} | {Waiting(r)} | {r.Operation} | {r.Load} | {r.CallsPerSecond:N0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.MaxMs:F1} | {r.Calls:N0} | {Failures(r)} |");
        }

        output.WriteLine();
        output.WriteLine("Where the time went: the queue's storage writes (one in flight at a time) and the CPU.");
        output.WriteLine("| provider | waiting | operation | load | writes/s | changes per write | write mean ms | write p99 ms | write max ms | storage busy | process CPU | machine CPU | GC pauses (gen2) | most in flight |");
        output.WriteLine("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            output.WriteLine(
                $"| {r.Provider} | {Waiting(r)} | {r.Operation} | {r.Load} | {r.Store.Writes / r.Seconds:N0} | {r.Store.ChangesPerWrite:F1} | "
                + $"{r.Store.MeanWriteMs:F2} | {r.Store.P99WriteMs:F2} | {r.Store.MaxWriteMs:F1} | {r.Store.BusyShare:P0} | {r.Usage.ProcessCpuPercent:F0} % | "
                + $"{(r.Usage.MachineCpuPercent is { } m ? $"{m:F0} %" : "-")} of {Environment.ProcessorCount * 100} % | {r.Usage.GcPausePercent:F1} % ({r.Usage.Gen2Collections}) | {r.MostInFlight?.ToString("N0") ?? "-"} |");
        }

        output.WriteLine();
        foreach (var surge in results.Where(r => r.OfferedPerSecond is not null))
        {
            output.WriteLine(Verdict(surge, options));
        }
    }

    /// <summary>
    /// The issue's floor: the queue takes the offered joins a second at that length, that is, it answers nearly
    /// all of them at the offered pace, none fails, and the p99 stays within the limit.
    /// </summary>
    public static bool Passed(PhaseResult surge, BenchOptions options) =>
        surge.CallsPerSecond >= BenchOptions.PassShareOfOffered * surge.OfferedPerSecond!.Value
        && surge.FailedCalls == 0
        && surge.P99Ms <= options.MaxP99.TotalMilliseconds;

    public static string Verdict(PhaseResult surge, BenchOptions options) =>
        $"{(Passed(surge, options) ? "PASS" : "FAIL")} {surge.Provider}: {surge.OfferedPerSecond:N0} joins/s offered at {surge.WaitingBefore:N0} waiting, "
        + $"{surge.CallsPerSecond:N0}/s achieved (needs {BenchOptions.PassShareOfOffered:P0}), p99 {surge.P99Ms:F1} ms "
        + $"(limit {options.MaxP99.TotalMilliseconds:N0} ms), {surge.FailedCalls:N0} failed.";

    public static async Task WriteJsonAsync(IReadOnlyList<PhaseResult> results, BenchOptions options, string path)
    {
        var document = new
        {
            measuredAt = DateTimeOffset.UtcNow,
            machine = new { Environment.ProcessorCount, Environment.MachineName },
            options = new
            {
                options.Queue,
                options.Callers,
                closedSeconds = options.ClosedDuration.TotalSeconds,
                options.OfferedRate,
                openSeconds = options.OpenDuration.TotalSeconds,
                options.OpenAtWaiting,
                maxP99Ms = options.MaxP99.TotalMilliseconds,
            },
            results,
            verdicts = results.Where(r => r.OfferedPerSecond is not null).Select(r => new { r.Provider, passed = Passed(r, options), text = Verdict(r, options) }),
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
    }

    private static string Waiting(PhaseResult r) => $"{r.WaitingBefore:N0} → {r.WaitingAfter:N0}";

    private static string Failures(PhaseResult r) =>
        r.FailedCalls == 0 ? "0" : string.Join(", ", r.Failures.Select(f => $"{f.Value:N0} {f.Key}"));
}
