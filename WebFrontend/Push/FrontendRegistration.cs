using OrleansSupport.Push;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Keeps this frontend listed in the frontend directory: registers its observer at start, renews it every
/// few seconds (which also heals a directory lost with its silo) and unregisters on a clean stop.
/// </summary>
public sealed partial class FrontendRegistration(
    IClusterClient client, FrontendReference reference, ILogger<FrontendRegistration> logger) : BackgroundService
{
    private static readonly TimeSpan Renewal = TimeSpan.FromSeconds(5);

    public string FrontendId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = client.GetGrain<IFrontendDirectoryGrain>(0);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await directory.Register(FrontendId, reference.Value);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRegistrationFailed(ex);
                }

                await Task.Delay(Renewal, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        try
        {
            await directory.Unregister(FrontendId).WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception ex)
        {
            LogRegistrationFailed(ex); // the directory drops us by expiry anyway
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The frontend could not renew its registration")]
    private partial void LogRegistrationFailed(Exception ex);
}
