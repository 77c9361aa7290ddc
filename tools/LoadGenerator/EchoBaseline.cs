using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// The raw SignalR baseline: a bare echo hub in a process of its own on this machine, loaded by the same
/// client code with messages of the same size, so OrleansSupport's throughput can be given as a share of
/// what SignalR alone does here.
/// </summary>
public static class EchoBaseline
{
    public const string ServerFlag = "--echo-server";

    public sealed class EchoHub : Hub
    {
        public string Echo(string text) => text;
    }

    /// <summary>The child process: serves the echo hub on the given port until it is stopped.</summary>
    public static async Task ServeAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        var app = builder.Build();
        app.UseWebSockets();
        app.MapHub<EchoHub>("/hubs/echo");
        await app.RunAsync();
    }

    public static async Task<BaselineFigures> MeasureAsync(int connections, TimeSpan length, TextWriter progress, CancellationToken cancel)
    {
        var port = Loopback.FreePort();
        using var server = Process.Start(ServerStart(port)) ?? throw new InvalidOperationException("The echo server did not start.");
        await using var watch = ServerProcesses.Watch([("echo-server", server.Id)]);
        try
        {
            var url = new Uri($"http://127.0.0.1:{port}");
            await Loopback.WaitUntilListeningAsync(port, server, TimeSpan.FromSeconds(30), cancel);
            var hubs = new HubConnection[connections];
            for (var i = 0; i < connections; i += 100)
            {
                await Task.WhenAll(Enumerable.Range(i, Math.Min(100, connections - i)).Select(async c =>
                {
                    hubs[c] = Wire.Connect(url, "/hubs/echo");
                    await hubs[c].StartAsync(cancel);
                }));
            }

            progress.WriteLine($"echo baseline: {connections} connections, {length.TotalSeconds:F0} s of round trips...");
            var latency = new LoadMetrics.Latency();
            long roundTrips = 0;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            var clock = Stopwatch.StartNew();
            stop.CancelAfter(length);
            await Task.WhenAll(hubs.Select(hub => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var sent = Stopwatch.GetTimestamp();
                    try
                    {
                        // Same size as a chat message of the scenario: the same stamped text.
                        await hub.InvokeAsync<string>("Echo", Wire.Stamp("question 0"), stop.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }

                    latency.RecordSince(sent);
                    Interlocked.Increment(ref roundTrips);
                }
            })));
            var seconds = clock.Elapsed.TotalSeconds;
            await Task.WhenAll(hubs.Select(h => h.DisposeAsync().AsTask()));
            var cpu = watch.Figures().FirstOrDefault()?.CpuPercent ?? 0;
            return new BaselineFigures(connections, Math.Round(seconds, 1), roundTrips, Math.Round(roundTrips / seconds, 1), cpu, latency.Summary());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>This same program, started again in server mode.</summary>
    private static ProcessStartInfo ServerStart(int port)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(EchoBaseline).Assembly.Location); // run as "dotnet LoadGenerator.dll"
        }

        start.ArgumentList.Add(ServerFlag);
        start.ArgumentList.Add(port.ToString());
        return start;
    }
}

public sealed record BaselineFigures(int Connections, double Seconds, long RoundTrips, double RoundTripsPerSecond, double ServerCpuPercent, LoadMetrics.LatencySummary RoundTrip);
