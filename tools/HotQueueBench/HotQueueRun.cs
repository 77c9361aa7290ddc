using Microsoft.Extensions.Logging;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Tools;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// For each provider: a fresh database and silo, a warm-up, then at each length the closed-loop joins and
/// dequeues, and last the open-loop surge at <see cref="BenchOptions.OpenAtWaiting"/>.
/// </summary>
public sealed partial class HotQueueRun(BenchOptions options, ILoggerFactory loggers)
{
    /// <summary>Joins and dequeues before anything is measured, so the JIT has compiled the hot paths.</summary>
    private const int WarmUpCalls = 20_000;

    private readonly ILogger _logger = loggers.CreateLogger<HotQueueRun>();

    public async Task<List<PhaseResult>> RunAsync(CancellationToken cancellation)
    {
        var results = new List<PhaseResult>();
        foreach (var provider in options.Providers)
        {
            cancellation.ThrowIfCancellationRequested();
            // The schema is not applied here: the silo applies it at start, as the real one does.
            await using var database = provider == StorageProvider.PostgreSQL
                ? ScratchDatabase.Postgres(options.PostgresServer ?? throw new InvalidOperationException("PostgreSQL needs --postgres."), "hot_queue")
                : ScratchDatabase.Sqlite(options.SqliteDirectory, "hot-queue");
            LogProvider(provider.ToString(), database.Description);
            var writes = new StoreWrites();
            await using var silo = await BenchSilo.StartAsync(database, writes);
            var queue = silo.Grains.GetGrain<IQueueGrain>(options.Queue);
            var line = new LineLeveler(queue, options.FillInFlight, _logger);
            var phases = new Phases(provider.ToString(), queue, line, writes, options, _logger);

            await line.LevelAsync(WarmUpCalls);
            await line.LevelAsync(0);
            foreach (var waiting in options.Waiting)
            {
                cancellation.ThrowIfCancellationRequested();
                await line.LevelAsync(waiting);
                results.Add(await phases.ClosedJoinsAsync());
                results.Add(await phases.ClosedDequeuesAsync(downTo: waiting));
            }

            await line.LevelAsync(options.OpenAtWaiting);
            results.Add(await phases.OpenJoinsAsync());
        }

        return results;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Measuring on {Provider} ({Database})")]
    private partial void LogProvider(string provider, string database);
}
