using System.Globalization;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// CPU and memory of the server processes under load, read once a second from /proc (they run on this
/// machine: the generator only loads loopback). The processes are the embedded default's, or found by
/// their program names when the generator loads a deployment started some other way.
/// </summary>
public sealed class ServerProcesses : IAsyncDisposable
{
    private const double TicksPerSecond = 100; // USER_HZ on Linux
    private readonly List<Watched> _watched;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private sealed class Watched(string name, int pid)
    {
        public string Name { get; } = name;
        public int Pid { get; } = pid;
        public readonly List<(DateTimeOffset At, double CpuSeconds, long RssBytes)> Samples = [];
    }

    private ServerProcesses(IEnumerable<(string Name, int Pid)> processes)
    {
        _watched = [.. processes.Select(p => new Watched(p.Name, p.Pid))];
        _sampling = SampleAsync(_stop.Token);
    }

    public static ServerProcesses Watch(IEnumerable<(string Name, int Pid)> processes) => new(processes);

    /// <summary>Every process on this machine running an OrleansSupport silo or frontend.</summary>
    public static ServerProcesses WatchRunningServers()
    {
        var found = new List<(string, int)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                foreach (var host in new[] { "OrleansSupport.Silo", "OrleansSupport.WebFrontend" })
                {
                    if (commandLine.Contains(host, StringComparison.Ordinal))
                    {
                        found.Add((host, pid));
                    }
                }
            }
            catch (IOException)
            {
                // Gone while we looked.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return new(found);
    }

    /// <summary>Memory of all watched processes together, as last sampled.</summary>
    public long CurrentRssBytes()
    {
        lock (_watched)
        {
            return _watched.Sum(w => w.Samples.Count > 0 ? w.Samples[^1].RssBytes : 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    /// <summary>
    /// Per process: average CPU over the run (100 % = one core) and, when given, over the steady part
    /// from <paramref name="steadyFrom"/> to <paramref name="steadyUntil"/> (start-up and JIT left out, which
    /// every extra process pays again); memory at start, peak and end.
    /// </summary>
    public List<ServerFigures> Figures(DateTimeOffset? steadyFrom = null, DateTimeOffset? steadyUntil = null)
    {
        lock (_watched)
        {
            return [.. _watched.Where(w => w.Samples.Count > 1).Select(w =>
            {
                var (first, last) = (w.Samples[0], w.Samples[^1]);
                var steady = w.Samples.Where(s => s.At >= steadyFrom && s.At <= steadyUntil).ToList();
                return new ServerFigures(
                    w.Name, w.Pid, CpuPercent(first, last), steady.Count > 1 ? CpuPercent(steady[0], steady[^1]) : null,
                    Mb(first.RssBytes), Mb(w.Samples.Max(s => s.RssBytes)), Mb(last.RssBytes));
            })];
        }
    }

    private static double CpuPercent((DateTimeOffset At, double CpuSeconds, long RssBytes) from, (DateTimeOffset At, double CpuSeconds, long RssBytes) to) =>
        Math.Round(100 * (to.CpuSeconds - from.CpuSeconds) / Math.Max((to.At - from.At).TotalSeconds, 0.001), 1);

    /// <summary>
    /// Memory drift of all processes together: the average of the last tenth of the run against the average
    /// of the second tenth (the first is warm-up), in percent.
    /// </summary>
    public double? MemoryDriftPercent()
    {
        var totals = TotalsPerSecond();
        if (totals.Count < 20)
        {
            return null;
        }

        var tenth = totals.Count / 10;
        var early = totals.Skip(tenth).Take(tenth).Average();
        var late = totals.Skip(totals.Count - tenth).Average();
        return Math.Round(100 * (late - early) / early, 1);
    }

    /// <summary>
    /// Memory of all processes together, averaged over each minute of the run (MB): shows whether a drift
    /// is warm-up that levels off or growth that goes on.
    /// </summary>
    public double[] MemoryByMinuteMb() =>
        [.. TotalsPerSecond().Chunk(60).Select(minute => Math.Round(minute.Average() / 1048576, 1))];

    /// <summary>The resident memory of all processes together, one sum per sampling second.</summary>
    private List<double> TotalsPerSecond()
    {
        lock (_watched)
        {
            return [.. _watched.Where(w => w.Samples.Count > 0)
                .SelectMany(w => w.Samples.Select((s, i) => (i, s.RssBytes)))
                .GroupBy(x => x.i)
                .OrderBy(g => g.Key)
                .Select(g => (double)g.Sum(x => x.RssBytes))];
        }
    }

    private async Task SampleAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            foreach (var w in _watched)
            {
                if (TryRead(w.Pid, out var cpu, out var rss))
                {
                    lock (_watched)
                    {
                        w.Samples.Add((DateTimeOffset.UtcNow, cpu, rss));
                    }
                }
            }
        }
        while (await Tick(timer, stop));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static bool TryRead(int pid, out double cpuSeconds, out long rssBytes)
    {
        (cpuSeconds, rssBytes) = (0, 0);
        try
        {
            // /proc/PID/stat: the command name in parentheses may hold spaces; fields are counted after it.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            cpuSeconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
            var rssLine = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            rssBytes = 1024 * long.Parse(rssLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return true;
        }
        catch (Exception ex) when (ex is IOException or FormatException or InvalidOperationException or UnauthorizedAccessException)
        {
            return false; // the process ended
        }
    }

    private static double Mb(long bytes) => Math.Round(bytes / 1048576.0, 1);
}

public sealed record ServerFigures(string Name, int Pid, double CpuPercent, double? SteadyCpuPercent, double RssStartMb, double RssPeakMb, double RssEndMb);
