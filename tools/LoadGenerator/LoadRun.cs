using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// One run: the embedded default started if no URL is given, the echo baseline if asked for, operators,
/// customers ramped up (and the spike), then the report with the servers' CPU and memory.
/// </summary>
public static class LoadRun
{
    public static async Task<LoadReport> RunAsync(LoadOptions options, TextWriter progress, CancellationToken cancel = default)
    {
        await using var embedded = options.Urls.Length == 0 ? await EmbeddedSystem.StartAsync(options.EmbeddedFrontends, progress, cancel) : null;
        if (embedded is not null)
        {
            options = options with { Urls = [.. embedded.Frontends], SupervisorUser = embedded.SupervisorUser, SupervisorPassword = embedded.SupervisorPassword };
        }

        var baseline = options.BaselineLength > TimeSpan.Zero
            ? await EchoBaseline.MeasureAsync(options.BaselineConnections > 0 ? options.BaselineConnections : options.Customers, options.BaselineLength, progress, cancel)
            : null;

        await using var servers = embedded is not null ? ServerProcesses.Watch(embedded.Processes) : ServerProcesses.WatchRunningServers();
        var metrics = new LoadMetrics();
        var operators = await StartOperatorsAsync(options, metrics, cancel);
        await Task.Delay(TimeSpan.FromSeconds(1.5), cancel); // one memory sample with operators in, before customers
        var memoryBefore = servers.CurrentRssBytes();
        long memoryPeak = memoryBefore;
        var samples = new List<Sample>();

        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var ownCpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        var rampedAt = options.Duration;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(options.Duration);
        using var ticker = new Timer(_ =>
        {
            memoryPeak = Math.Max(Interlocked.Read(ref memoryPeak), servers.CurrentRssBytes());
            lock (samples)
            {
                samples.Add(new Sample(
                    clock.Elapsed, Interlocked.Read(ref metrics.MessagesReceived), Interlocked.Read(ref metrics.PositionPushes), Interlocked.Read(ref metrics.Waiting)));
            }

            if (!options.Quiet)
            {
                progress.WriteLine(Progress(metrics, clock.Elapsed, servers.CurrentRssBytes()));
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var lagWatch = WatchOwnLagAsync(metrics, stop.Token);
        try
        {
            var customers = new List<Task>(options.Customers + options.SpikeCustomers);
            await RampAsync(options, metrics, customers, options.Customers, options.RampPerSecond, inSpike: false, stop.Token);
            if (options.SpikeCustomers > 0)
            {
                await Task.Delay(options.SpikeAfter, stop.Token);
                await RampAsync(options, metrics, customers, options.SpikeCustomers, options.SpikeCustomers / options.SpikeLength.TotalSeconds, inSpike: true, stop.Token);
            }

            rampedAt = clock.Elapsed;
            _ = Task.Delay(TimeSpan.FromSeconds(5), stop.Token).ContinueWith(_ => metrics.Steady = true, TaskScheduler.Default);

            await Task.WhenAll(customers);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancel.IsCancellationRequested)
        {
            // The run's time was up during the ramp.
        }
        finally
        {
            foreach (var op in operators)
            {
                await op.DisposeAsync();
            }
        }

        // Pushes still on the way settle before losses are counted.
        await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
        await lagWatch;
        var elapsed = clock.Elapsed;
        progress.WriteLine(Progress(metrics, elapsed, servers.CurrentRssBytes()));
        // The generator shares the machine's two cores with the servers: its own share is part of the picture.
        var generatorCpu = Math.Round(100 * (Process.GetCurrentProcess().TotalProcessorTime - ownCpuAtStart).TotalSeconds / elapsed.TotalSeconds, 1);
        var steady = Steady(samples, from: rampedAt + TimeSpan.FromSeconds(5), until: options.Duration);
        var serverFigures = servers.Figures(startedAt + rampedAt + TimeSpan.FromSeconds(5), startedAt + options.Duration);
        return LoadReport.From(options, metrics, elapsed, steady, generatorCpu, baseline, serverFigures, servers.MemoryDriftPercent(), servers.MemoryByMinuteMb(), memoryBefore, memoryPeak);
    }

    private static async Task WatchOwnLagAsync(LoadMetrics metrics, CancellationToken stop)
    {
        var tick = TimeSpan.FromMilliseconds(20);
        while (!stop.IsCancellationRequested)
        {
            var asleepAt = Stopwatch.GetTimestamp();
            try
            {
                await Task.Delay(tick, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            metrics.GeneratorLag.Record(Stopwatch.GetElapsedTime(asleepAt) - tick);
        }
    }

    /// <summary>The counters, read once a second.</summary>
    private sealed record Sample(TimeSpan At, long MessagesReceived, long PositionPushes, long Waiting);

    /// <summary>
    /// Messages and queue-number pushes per second, and the customers waiting on average, once everyone is
    /// in (ramp over, 5 s settled) until the run's end.
    /// </summary>
    private static SteadyFigures? Steady(List<Sample> samples, TimeSpan from, TimeSpan until)
    {
        lock (samples)
        {
            var window = samples.Where(s => s.At >= from && s.At <= until).ToList();
            if (window.Count < 2)
            {
                return null;
            }

            var seconds = (window[^1].At - window[0].At).TotalSeconds;
            return new SteadyFigures(
                Math.Round((window[^1].MessagesReceived - window[0].MessagesReceived) / seconds, 1),
                Math.Round((window[^1].PositionPushes - window[0].PositionPushes) / seconds, 1),
                Math.Round(window.Average(s => s.Waiting)));
        }
    }

    private static async Task RampAsync(LoadOptions options, LoadMetrics metrics, List<Task> customers, int count, double perSecond, bool inSpike, CancellationToken stop)
    {
        // Started on a schedule, not by delays added up: a slow moment does not slow the whole ramp.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count && !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, stop);
            }

            var frontend = options.Urls[customers.Count % options.Urls.Length];
            var bot = new CustomerBot(options, metrics, frontend, PickLanguage(options.Languages), Random.Shared.NextDouble() < options.AbandonRate, inSpike);
            customers.Add(Task.Run(() => bot.RunAsync(stop), CancellationToken.None));
        }
    }

    /// <summary>Creates one account per simulated operator through the supervisors' API, then logs each in.</summary>
    private static async Task<List<OperatorBot>> StartOperatorsAsync(LoadOptions options, LoadMetrics metrics, CancellationToken cancel)
    {
        var bots = new List<OperatorBot>();
        if (options.Operators == 0)
        {
            return bots;
        }

        if (string.IsNullOrEmpty(options.SupervisorPassword))
        {
            throw new ArgumentException("Simulated operators need a supervisor to create them: --supervisor-password (or ORLEANS_SUPPORT_SUPERVISOR_PASSWORD).");
        }

        var cookies = new System.Net.CookieContainer();
        using var supervisor = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = options.Urls[0] };
        (await supervisor.PostAsJsonAsync("/api/account/login", new { userName = options.SupervisorUser, password = options.SupervisorPassword }, cancel)).EnsureSuccessStatusCode();

        var run = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        for (var i = 0; i < options.Operators; i++)
        {
            var userName = $"load-{run}-{i}";
            (await supervisor.PostAsJsonAsync("/api/accounts", new { userName, displayName = $"Load operator {i}", password }, cancel)).EnsureSuccessStatusCode();
            var bot = new OperatorBot(options, metrics, options.Urls[i % options.Urls.Length], userName, password);
            await bot.StartAsync(cancel);
            bots.Add(bot);
        }

        return bots;
    }

    private static string PickLanguage(Dictionary<string, double> mix)
    {
        var roll = Random.Shared.NextDouble() * mix.Values.Sum();
        foreach (var (language, weight) in mix)
        {
            if ((roll -= weight) <= 0)
            {
                return language;
            }
        }

        return mix.Keys.Last();
    }

    private static string Progress(LoadMetrics m, TimeSpan elapsed, long serverBytes) =>
        $"[{elapsed.TotalSeconds,6:F1}s] connected {m.Connected} held {m.SessionsHeld} waiting {m.Waiting} chatting {m.Chatting} done {m.Completed} " +
        $"abandoned {m.Abandoned} msgs {m.MessagesSent}/{m.MessagesReceived} ({m.MessagesReceived / Math.Max(elapsed.TotalSeconds, 1):F0}/s) " +
        $"pushes {m.PositionPushes} errors {m.Errors} servers {serverBytes / 1048576} MB";
}
