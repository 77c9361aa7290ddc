namespace OrleansSupport.QueueStoreBench;

/// <summary>What to measure; see <see cref="Parse"/> for the command line.</summary>
public sealed record BenchOptions(string Directory, string? PostgresConnection, int[] Lengths, int Changes, int Batch)
{
    public const string Usage =
        "usage: OrleansSupport.QueueStoreBench --directory <dir> [--postgres <server connection string>] "
        + "[--lengths 1000,50000] [--changes 200] [--batch 50]";

    /// <summary>The options, or null when the command line does not make sense.</summary>
    public static BenchOptions? Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (args.Length % 2 != 0 || !values.TryGetValue("--directory", out var directory)
            || !TryInts(values.GetValueOrDefault("--lengths") ?? "1000,50000", out var lengths)
            || !TryInts(values.GetValueOrDefault("--changes") ?? "200", out var changes)
            || !TryInts(values.GetValueOrDefault("--batch") ?? "50", out var batch))
        {
            return null;
        }

        return new BenchOptions(directory, values.GetValueOrDefault("--postgres"), lengths, changes[0], batch[0]);
    }

    private static bool TryInts(string text, out int[] values)
    {
        values = [.. text.Split(',').Select(part => int.TryParse(part, out var value) && value > 0 ? value : -1)];
        return values.All(value => value > 0);
    }
}
