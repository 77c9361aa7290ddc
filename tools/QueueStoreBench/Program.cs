using Microsoft.Extensions.Logging.Abstractions;
using OrleansSupport.QueueStoreBench;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;
using OrleansSupport.Tools;

// What one change of a queue costs in storage, by line length, in today's design and in the old one.
// tools/bench/run.sh queue-store starts a private PostgreSQL for it; see docs/benchmarks.md.
if (BenchOptions.Parse(args) is not { } options)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var serializer = CompactStateSerializer.CreateStandalone(typeof(WholeLineState).Assembly);
var databases = new List<(string Name, Func<ScratchDatabase> Create)> { ("SQLite", () => WithSchema(ScratchDatabase.Sqlite(options.Directory, "queue-store"))) };
if (options.PostgresConnection is { } server)
{
    databases.Add(("PostgreSQL", () => WithSchema(ScratchDatabase.Postgres(server, "queue_bench"))));
}

var results = new List<Measurement>();
foreach (var (name, create) in databases)
{
    foreach (var waiting in options.Lengths)
    {
        await using (var database = create())
        {
            await using var writer = new GroupCommitWriter(database.Provider, database.ConnectionString, NullLogger<GroupCommitWriter>.Instance);
            using var rows = new RowPerCustomerDesign(
                new SqlQueueStore(writer, database.Provider, database.ConnectionString, Bench.ServiceId, serializer), Bench.BusyHeader());
            results.AddRange(await Bench.RunAsync(rows, name, waiting, options.Changes, options.Batch));
        }

        await using (var database = create())
        {
            var whole = new WholeLineDesign(database.Provider, database.ConnectionString, serializer, Bench.BusyHeader());
            results.AddRange(await Bench.RunAsync(whole, name, waiting, options.Changes, options.Batch));
        }

        Console.Error.WriteLine($"{name}, {waiting:N0} waiting: measured");
    }
}

Console.WriteLine($"{options.Changes} changes of each kind written alone, {options.Changes / 10} writes of {options.Batch} changes.");
Console.WriteLine(Measurement.Header);
foreach (var result in results.OrderBy(r => r.Provider).ThenBy(r => r.Waiting).ThenBy(r => r.Change).ThenBy(r => r.Design))
{
    Console.WriteLine(result.Row());
}

return 0;

// Each design's measurement starts on the project's own schema, as a silo would have applied it.
static ScratchDatabase WithSchema(ScratchDatabase database)
{
    if (database.Provider == StorageProvider.PostgreSQL)
    {
        PostgresSchema.Apply(database.ConnectionString);
    }
    else
    {
        SqliteSchema.Apply(database.ConnectionString);
    }

    return database;
}
