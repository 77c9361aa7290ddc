using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansSupport.Push;

/// <summary>
/// The batches one silo owes one frontend, sent one call at a time, each after the previous was taken: the
/// frontend sees them in the order the grains published them. While a call is in flight the next batches
/// wait; the next call carries all of them at once, so a busy frontend costs fewer, larger calls instead of
/// a growing line (which is what a queue-number change waited in during a storm). A frontend that cannot
/// keep up loses its oldest batches rather than growing the silo's memory; its clients catch up by
/// sequence on resume.
/// </summary>
internal sealed partial class FrontendFeed
{
    private const int MaxWaitingBatches = 1_000;
    private const int MaxItemsPerCall = 5_000;
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
        var reader = _waiting.Reader;
        var gathered = new List<PushBatch>();
        while (await reader.WaitToReadAsync())
        {
            var items = 0;
            while (items < MaxItemsPerCall && reader.TryRead(out var batch))
            {
                gathered.Add(batch);
                items += batch.QueueDeltas.Length + batch.SessionEvents.Length + batch.OperatorEvents.Length;
            }

            var call = PushBatch.Concat(gathered);
            gathered.Clear();
            try
            {
                await _frontend.Deliver(call).WaitAsync(DeliveryTimeout);
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
