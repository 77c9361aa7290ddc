namespace OrleansSupport.QueueStoreBench;

/// <summary>The cost of one kind of change in one design: per change, and the slowest writes.</summary>
public sealed record Measurement(
    string Provider, int Waiting, string Change, string Design, int ChangesPerWrite, double BytesPerChange, double MeanMsPerChange, double P99MsPerWrite)
{
    public const string Header =
        "| database | waiting | change | design | changes per write | bytes per change | mean ms per change | p99 ms per write |\n"
        + "|---|---:|---|---|---:|---:|---:|---:|";

    public static Measurement Of(string provider, int waiting, string change, string design, int changesPerWrite, List<(double Ms, long Bytes)> writes)
    {
        var ordered = writes.Select(w => w.Ms).Order().ToArray();
        var p99 = ordered[Math.Min(ordered.Length - 1, (int)Math.Ceiling(ordered.Length * 0.99) - 1)];
        var changes = (double)writes.Count * changesPerWrite;
        return new Measurement(provider, waiting, change, design, changesPerWrite, writes.Sum(w => w.Bytes) / changes, writes.Sum(w => w.Ms) / changes, p99);
    }

    public string Row() =>
        $"| {Provider} | {Waiting:N0} | {Change} | {Design} | {ChangesPerWrite} | {BytesPerChange:N0} | {MeanMsPerChange:F3} | {P99MsPerWrite:F2} |";
}
