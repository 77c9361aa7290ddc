using OrleansSupport.Push;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Keeps this frontend listed in the frontend directory: registers its observer at start, renews it every
/// few seconds, and at once when a gateway connection opens (a silo came back). When the directory had
/// lost us, or a silo went away with pushes for us, the pages are told to catch up.
/// </summary>
public sealed partial class FrontendRegistration(
    IClusterClient client, FrontendReference reference, ClusterConnectionWatch watch, PageCatchUp catchUp,
    ILogger<FrontendRegistration> logger) : BackgroundService
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
                var gatewayAdded = watch.GatewayAdded;
                try
                {
                    // Bounded, and given up when a gateway closes: a registration sent to a silo that died is
                    // never answered, and waiting for Orleans' 30 s timeout would keep the pages from catching up.
                    var wasUnlisted = await directory.Register(FrontendId, reference.Value).WaitAsync(Renewal, watch.GatewayLost);
                    // Taken only once registered: a silo that is still away cannot be asked for what we missed.
                    if (watch.TakePushesMayBeLost() | wasUnlisted)
                    {
                        _ = CatchUpAsync(stoppingToken);
                    }
                }
                catch (Exception ex)
                {
                    LogRegistrationFailed(ex); // tried again at the next renewal, or at once when a gateway opens
                }

                await Task.WhenAny(Task.Delay(Renewal, stoppingToken), gatewayAdded);
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

    private async Task CatchUpAsync(CancellationToken stoppingToken)
    {
        try
        {
            await catchUp.AfterListedEverywhereAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCatchUpFailed(ex);
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The frontend could not renew its registration")]
    private partial void LogRegistrationFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The pages could not be told to catch up")]
    private partial void LogCatchUpFailed(Exception ex);
}
