namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// Watches this frontend's connections to the silos' gateways. A connection that closes took a silo's work
/// for us with it: calls in flight through it are never answered (Orleans would wait for its response
/// timeout, 30 s), and pushes that silo held for our pages are gone. Hub calls give up on
/// <see cref="GatewayLost"/>, and the frontend's registration takes <see cref="TakePushesMayBeLost"/> to
/// tell its pages to catch up once the silos can push to it again.
/// </summary>
public sealed partial class ClusterConnectionWatch(ILogger<ClusterConnectionWatch> logger) : IClusterConnectionStatusObserver
{
    private CancellationTokenSource _lost = new();
    private int _pushesMayBeLost;
    private TaskCompletionSource _gatewayAdded = NewSignal();

    /// <summary>Cancelled when a gateway connection closes; a new token serves the calls after that.</summary>
    public CancellationToken GatewayLost => Volatile.Read(ref _lost).Token;

    /// <summary>True once after a gateway connection closed; the caller then owns the catch-up.</summary>
    public bool TakePushesMayBeLost() => Interlocked.Exchange(ref _pushesMayBeLost, 0) == 1;

    /// <summary>Completes when a gateway connection opens: the time to register again at once.</summary>
    public Task GatewayAdded => Volatile.Read(ref _gatewayAdded).Task;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            LogGatewayLost(currentNumberOfGateways);
            Volatile.Write(ref _pushesMayBeLost, 1);
            Interlocked.Exchange(ref _lost, new CancellationTokenSource()).Cancel();
        }
        else if (currentNumberOfGateways > previousNumberOfGateways)
        {
            Interlocked.Exchange(ref _gatewayAdded, NewSignal()).TrySetResult();
        }
    }

    // Always followed by a gateway count change, which does the work.
    public void NotifyClusterConnectionLost()
    {
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A silo gateway connection closed; {Gateways} remain")]
    private partial void LogGatewayLost(int gateways);
}
