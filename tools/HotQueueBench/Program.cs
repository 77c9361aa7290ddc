using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OrleansSupport.HotQueueBench;

// The hot queue's ceiling (issue 16, point 4): one language queue on its own, through direct grain calls to a
// silo in this process that is set up by the Silo's own code. tools/bench/run.sh hot-queue runs it on SQLite
// and on a private PostgreSQL; see docs/benchmarks.md.
return await BenchCommand.Create(async (options, cancellation) =>
{
    // Progress goes to stderr: stdout is the results table.
    using var loggers = LoggerFactory.Create(logging =>
    {
        logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Information);
        logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });
    var results = await new HotQueueRun(options, loggers).RunAsync(cancellation);
    ResultsReport.Print(results, options, Console.Out);
    if (options.JsonPath is { } path)
    {
        await ResultsReport.WriteJsonAsync(results, options, path);
    }

    // The run measured; whether it met the floor is in the verdict line, not the exit code, so a script
    // keeps every provider's figures. 3: some surge did not pass, for scripts that want to know.
    return results.Where(r => r.OfferedPerSecond is not null).All(r => ResultsReport.Passed(r, options)) ? 0 : 3;
}).Parse(args).InvokeAsync();
