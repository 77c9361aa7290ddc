using OrleansSupport.LoadGenerator;

if (args is [EchoBaseline.ServerFlag, var port])
{
    // The child process of the baseline: a bare SignalR echo hub.
    await EchoBaseline.ServeAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadOptions.Help);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 1;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await LoadRun.RunAsync(options, Console.Out, cancel.Token);
Console.WriteLine();
Console.WriteLine(report.ToTable());
if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, report.ToJson());
}

// A run that lost or repeated a message fails, so scripts and CI notice.
return report.Clean ? 0 : 2;
