using System.CommandLine;
using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.HotQueueBench;

/// <summary>The command line: every option with its default, parsed by System.CommandLine into <see cref="BenchOptions"/>.</summary>
public static class BenchCommand
{
    public static RootCommand Create(Func<BenchOptions, CancellationToken, Task<int>> run)
    {
        var providers = new Option<StorageProvider[]>("--providers")
        {
            Description = "Databases to measure on, in order (Sqlite, PostgreSQL).",
            DefaultValueFactory = _ => [StorageProvider.Sqlite],
            AllowMultipleArgumentsPerToken = true,
        };
        var sqliteDirectory = new Option<string>("--sqlite-directory")
        {
            Description = "Directory for the scratch SQLite files (removed at the end).",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "orleans-support-hot-queue"),
        };
        var postgres = new Option<string?>("--postgres")
        {
            Description = "Connection string of a PostgreSQL server; a scratch database is created and dropped on it.",
        };
        var waiting = new Option<int[]>("--waiting")
        {
            Description = "Line lengths to measure joins and dequeues at.",
            DefaultValueFactory = _ => [1_000, 50_000, 100_000],
            AllowMultipleArgumentsPerToken = true,
        };
        var queue = new Option<string>("--queue")
        {
            Description = "The queue (language code) measured; it must be always open in the silo's Support:Languages.",
            DefaultValueFactory = _ => "en",
        };
        var callers = new Option<int>("--callers")
        {
            Description = "Concurrent callers of the closed loops.",
            DefaultValueFactory = _ => 64,
        };
        var closedSeconds = new Option<double>("--closed-seconds")
        {
            Description = "Duration of each closed loop.",
            DefaultValueFactory = _ => 10,
        };
        var fillInFlight = new Option<int>("--fill-in-flight")
        {
            Description = "Calls in flight while filling or trimming the line (not measured).",
            DefaultValueFactory = _ => 2_000,
        };
        var rate = new Option<int>("--rate")
        {
            Description = "Joins a second the open loop offers.",
            DefaultValueFactory = _ => 5_000,
        };
        var openSeconds = new Option<double>("--open-seconds")
        {
            Description = "Duration of the open loop.",
            DefaultValueFactory = _ => 10,
        };
        var openAt = new Option<int>("--open-at")
        {
            Description = "Line length the open loop starts at.",
            DefaultValueFactory = _ => 100_000,
        };
        var maxP99 = new Option<double>("--max-p99-ms")
        {
            Description = "Slowest open-loop p99 that still passes.",
            DefaultValueFactory = _ => 1_000,
        };
        var json = new Option<string?>("--json") { Description = "Also write the results to this JSON file." };

        var command = new RootCommand("One language queue on its own: joins and dequeues a second it sustains, by line length, "
            + "through direct grain calls to a silo hosted in this process with the Silo's own storage setup.")
        {
            providers, sqliteDirectory, postgres, waiting, queue, callers, closedSeconds, fillInFlight, rate, openSeconds, openAt, maxP99, json,
        };
        // A command's validator sees only the options given (defaults are applied later), which is all this check needs.
        command.Validators.Add(result =>
        {
            if (result.GetValue(providers)?.Contains(StorageProvider.PostgreSQL) == true && string.IsNullOrWhiteSpace(result.GetValue(postgres)))
            {
                result.AddError("--providers PostgreSQL needs --postgres <server connection string>.");
            }
        });
        Positive(callers);
        Positive(fillInFlight);
        Positive(rate);
        Positive(closedSeconds);
        Positive(openSeconds);
        Positive(maxP99);
        NotNegative(openAt);
        waiting.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int[]>().Any(w => w < 0))
            {
                result.AddError("--waiting: line lengths cannot be negative.");
            }
        });
        command.SetAction((result, cancellation) => run(
            new BenchOptions
            {
                Providers = result.GetValue(providers)!,
                SqliteDirectory = result.GetValue(sqliteDirectory)!,
                PostgresServer = result.GetValue(postgres),
                Waiting = result.GetValue(waiting)!,
                Queue = result.GetValue(queue)!,
                Callers = result.GetValue(callers),
                ClosedDuration = TimeSpan.FromSeconds(result.GetValue(closedSeconds)),
                FillInFlight = result.GetValue(fillInFlight),
                OfferedRate = result.GetValue(rate),
                OpenDuration = TimeSpan.FromSeconds(result.GetValue(openSeconds)),
                OpenAtWaiting = result.GetValue(openAt),
                MaxP99 = TimeSpan.FromMilliseconds(result.GetValue(maxP99)),
                JsonPath = result.GetValue(json),
            },
            cancellation));
        return command;
    }

    private static void Positive<T>(Option<T> option) where T : struct, System.Numerics.INumber<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() <= T.Zero)
            {
                result.AddError($"{option.Name} must be positive.");
            }
        });

    private static void NotNegative<T>(Option<T> option) where T : struct, System.Numerics.INumber<T> =>
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() < T.Zero)
            {
                result.AddError($"{option.Name} cannot be negative.");
            }
        });
}
