using System.Diagnostics;
using System.Net.Http.Json;
using System.Security.Cryptography;

namespace OrleansSupport.LoadGenerator;

/// <summary>One run: operators first, then customers ramped up, then the report.</summary>
public static class LoadRun
{
    public static async Task<LoadReport> RunAsync(LoadOptions options, TextWriter progress, CancellationToken cancel = default)
    {
        var metrics = new LoadMetrics();
        var clock = Stopwatch.StartNew();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        stop.CancelAfter(options.Duration);

        var operators = await StartOperatorsAsync(options, metrics, stop.Token);
        using var ticker = new Timer(_ => progress.WriteLine(Progress(metrics, clock.Elapsed)), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        try
        {
            var customers = new List<Task>(options.Customers);
            var interval = TimeSpan.FromSeconds(1 / options.RampPerSecond);
            for (var i = 0; i < options.Customers && !stop.IsCancellationRequested; i++)
            {
                var bot = new CustomerBot(options, metrics, PickLanguage(options.Languages), Random.Shared.NextDouble() < options.AbandonRate);
                customers.Add(Task.Run(() => bot.RunAsync(stop.Token)));
                await Task.Delay(interval, CancellationToken.None);
            }

            await Task.WhenAll(customers);
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
        progress.WriteLine(Progress(metrics, clock.Elapsed));
        return LoadReport.From(options, metrics, clock.Elapsed);
    }

    /// <summary>Creates one account per simulated operator through the supervisors' API, then logs each in.</summary>
    private static async Task<List<OperatorBot>> StartOperatorsAsync(LoadOptions options, LoadMetrics metrics, CancellationToken stop)
    {
        if (string.IsNullOrEmpty(options.SupervisorPassword))
        {
            throw new ArgumentException("Simulated operators need a supervisor to create them: --supervisor-password (or ORLEANS_SUPPORT_SUPERVISOR_PASSWORD).");
        }

        var cookies = new System.Net.CookieContainer();
        using var supervisor = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = options.Url };
        (await supervisor.PostAsJsonAsync("/api/account/login", new { userName = options.SupervisorUser, password = options.SupervisorPassword }, stop)).EnsureSuccessStatusCode();

        var run = Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var bots = new List<OperatorBot>();
        for (var i = 0; i < options.Operators; i++)
        {
            var userName = $"load-{run}-{i}";
            (await supervisor.PostAsJsonAsync("/api/accounts", new { userName, displayName = $"Load operator {i}", password }, stop)).EnsureSuccessStatusCode();
            var bot = new OperatorBot(options, metrics, userName, password);
            await bot.StartAsync(stop);
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

    private static string Progress(LoadMetrics m, TimeSpan elapsed) =>
        $"[{elapsed.TotalSeconds,6:F1}s] connected {m.Connected} queued {m.Queued} chatting {m.Chatting} done {m.Completed} " +
        $"abandoned {m.Abandoned} msgs {m.MessagesSent}/{m.MessagesReceived} ({m.MessagesReceived / Math.Max(elapsed.TotalSeconds, 1):F0}/s) errors {m.Errors}";
}
