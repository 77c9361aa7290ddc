using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansSupport.ServiceDefaults;

/// <summary>When the oldest generation of the GC heap counts as too full of holes (section "Memory").</summary>
public sealed class HeapCompactionOptions
{
    /// <summary>Compact once gen2's free space reaches this share of gen2 (percent); 0 turns it off.</summary>
    public int CompactAtFragmentationPercent { get; set; } = 33;

    /// <summary>And only when that free space is at least this large (MB): small heaps are left alone.</summary>
    public int CompactAtFragmentedMb { get; set; } = 16;

    public int CheckSeconds { get; set; } = 30;
}

/// <summary>
/// Compacts the GC heap when its oldest generation is mostly holes. Our hosts run workstation GC (server GC
/// held ~14 KB more per open connection), whose gen2 collections run in the background: they free dead
/// objects but never move live ones. The chats of a sale live for minutes, long enough to reach gen2, and
/// then die, so the holes they leave grow for as long as the sale runs (the 20-minute soak: the silo's gen2
/// free space 0 -> 79 MB while live gen2 stayed 45-50 MB). DOTNET_GCConserveMemory also compacts, but
/// on every gen2 collection, and it doubled the soak's p99 message latency; this compacts rarely, once
/// the holes are worth a pause.
/// </summary>
public sealed partial class HeapCompactor(IOptions<HeapCompactionOptions> options, ILogger<HeapCompactor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (o.CompactAtFragmentationPercent <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(o.CheckSeconds, 1)));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var gen2 = GC.GetGCMemoryInfo(GCKind.Any).GenerationInfo[2];
            var holes = gen2.FragmentationAfterBytes;
            if (!IsWorthCompacting(holes, gen2.SizeAfterBytes, o))
            {
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            LogCompacted(holes / 1048576, gen2.SizeAfterBytes / 1048576, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>Whether gen2, holding <paramref name="fragmentedBytes"/> of free space in <paramref name="gen2Bytes"/>, is worth a pause.</summary>
    public static bool IsWorthCompacting(long fragmentedBytes, long gen2Bytes, HeapCompactionOptions options) =>
        options.CompactAtFragmentationPercent > 0
        && fragmentedBytes >= options.CompactAtFragmentedMb * 1048576L
        && fragmentedBytes * 100 >= options.CompactAtFragmentationPercent * gen2Bytes;

    [LoggerMessage(Level = LogLevel.Information, Message = "Compacted the GC heap: gen2 held {FragmentedMb} MB of free space in {Gen2Mb} MB; the pause took {PauseMs:F0} ms")]
    private partial void LogCompacted(long fragmentedMb, long gen2Mb, double pauseMs);
}

public static class HeapCompactionExtensions
{
    public static IServiceCollection AddHeapCompaction(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HeapCompactionOptions>(configuration.GetSection("Memory"));
        services.AddHostedService<HeapCompactor>();
        return services;
    }
}
