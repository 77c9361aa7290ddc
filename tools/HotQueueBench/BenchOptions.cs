using OrleansSupport.Silo.Hosting;

namespace OrleansSupport.HotQueueBench;

/// <summary>What one run measures; read from the command line by <see cref="BenchCommand"/>.</summary>
public sealed record BenchOptions
{
    /// <summary>The databases to measure on, one after the other, each in a fresh database and a fresh silo.</summary>
    public required StorageProvider[] Providers { get; init; }

    /// <summary>Where the SQLite files go (one per run, removed at the end).</summary>
    public required string SqliteDirectory { get; init; }

    /// <summary>A PostgreSQL server to create a scratch database on; needed when PostgreSQL is measured.</summary>
    public string? PostgresServer { get; init; }

    /// <summary>The line lengths at which joins and dequeues are measured.</summary>
    public required int[] Waiting { get; init; }

    /// <summary>The queue (language code) measured: one that is always open, so every join is accepted.</summary>
    public required string Queue { get; init; }

    /// <summary>Concurrent callers of the closed loops: each sends its next call when the last one answered.</summary>
    public required int Callers { get; init; }

    /// <summary>How long each closed loop runs (a dequeue loop also stops once the line is back to its length).</summary>
    public required TimeSpan ClosedDuration { get; init; }

    /// <summary>Calls in flight while the line is filled or trimmed to a length (not measured).</summary>
    public required int FillInFlight { get; init; }

    /// <summary>Joins a second the open loop offers, whatever the queue answers: the surge.</summary>
    public required int OfferedRate { get; init; }

    /// <summary>How long the open loop offers joins.</summary>
    public required TimeSpan OpenDuration { get; init; }

    /// <summary>The line length the open loop starts at.</summary>
    public required int OpenAtWaiting { get; init; }

    /// <summary>
    /// The open loop passes when it achieved at least this share of the offered rate, without errors, and within
    /// <see cref="MaxP99"/>. The achieved rate runs to the last answer, so the last calls' latency alone takes a
    /// few per cent off it in a 10 s run; a queue that falls behind fails on its p99, which grows with the backlog.
    /// </summary>
    public const double PassShareOfOffered = 0.95;

    /// <summary>The slowest p99 of the open loop that still counts as taking the surge.</summary>
    public required TimeSpan MaxP99 { get; init; }

    /// <summary>Where to write the results as JSON too, or null.</summary>
    public string? JsonPath { get; init; }
}
