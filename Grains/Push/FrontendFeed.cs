using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansSupport.Push;

/// <summary>
/// The batches one silo owes one frontend, sent one at a time, each after the previous was taken: the
/// frontend sees them in the order the grains published them. A frontend that cannot keep up loses its
/// oldest batches rather than growing the silo's memory; its clients catch up by sequence on resume.
/// </summary>
internal sealed partial class FrontendFeed
{
    private const int MaxWaitingBatches = 1_000;
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(5);

    private readonly IFrontendObserver _frontend;
    private readonly ILogger _logger;
    private readonly Channel<PushBatch> _waiting = Channel.CreateBounded<PushBatch>(
        new BoundedChannelOptions(MaxWaitingBatches) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    public FrontendFeed(IFrontendObserver frontend, ILogger logger)
    {
        (_frontend, _logger) = (frontend, logger);
        _ = Task.Run(SendInOrderAsync);
    }

    public void Enqueue(PushBatch batch) => _waiting.Writer.TryWrite(batch);

    public void Complete() => _waiting.Writer.TryComplete();

    private async Task SendInOrderAsync()
    {
        await foreach (var batch in _waiting.Reader.ReadAllAsync())
        {
            try
            {
                await _frontend.Deliver(batch).WaitAsync(DeliveryTimeout);
            }
            catch (Exception ex)
            {
                LogDeliveryFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push batch could not be handed to a frontend")]
    private partial void LogDeliveryFailed(Exception ex);
}
