using System.Diagnostics;

namespace OrleansSupport.HotQueueBench;

/// <summary>
/// CPU and GC over a phase: this process's (the silo and the callers), the whole machine's (PostgreSQL's
/// server processes, and whatever else runs on the two cores), and the GC's pauses in this process.
/// </summary>
public sealed class MachineUsage
{
    private readonly TimeSpan _processCpu;
    private readonly (long Busy, long Total)? _machine;
    private readonly TimeSpan _gcPause;
    private readonly int _gen2;
    private readonly long _started;

    private MachineUsage()
    {
        _processCpu = Process.GetCurrentProcess().TotalProcessorTime;
        _machine = ReadProcStat();
        _gcPause = GC.GetTotalPauseDuration();
        _gen2 = GC.CollectionCount(2);
        _started = Stopwatch.GetTimestamp();
    }

    public static MachineUsage Start() => new();

    public UsageSummary Stop()
    {
        var wall = Stopwatch.GetElapsedTime(_started);
        var process = Process.GetCurrentProcess().TotalProcessorTime - _processCpu;
        double? machine = null;
        if (_machine is { } before && ReadProcStat() is { } after && after.Total > before.Total)
        {
            // /proc/stat counts every core's time: busy over total is the share of all cores.
            machine = 100.0 * Environment.ProcessorCount * (after.Busy - before.Busy) / (after.Total - before.Total);
        }

        return new UsageSummary(
            100 * process / wall,
            machine,
            100 * (GC.GetTotalPauseDuration() - _gcPause) / wall,
            GC.CollectionCount(2) - _gen2);
    }

    /// <summary>Busy and total jiffies of all cores, from the first line of /proc/stat; null where there is none.</summary>
    private static (long Busy, long Total)? ReadProcStat()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0); // idle + iowait
            var total = fields.Take(8).Sum(); // user nice system idle iowait irq softirq steal (guest is inside user)
            return (total - idle, total);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}

/// <param name="ProcessCpuPercent">This process's CPU, in % of one core (200 = both cores of this machine).</param>
/// <param name="MachineCpuPercent">All processes' CPU, in % of one core; null where /proc/stat is missing.</param>
/// <param name="GcPausePercent">Share of the wall time this process was paused by its GC.</param>
public sealed record UsageSummary(double ProcessCpuPercent, double? MachineCpuPercent, double GcPausePercent, int Gen2Collections);
