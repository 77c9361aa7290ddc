using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansSupport.Push;

/// <summary>
/// The batches one silo owes one frontend, sent one call at a time, each after the previous was taken: the
/// frontend sees them in the order the grains published them. While a call is in flight the next batches
/// wait; the next call carries all of them at once, so a busy frontend costs fewer, larger calls instead of
/// a growing line (which is what a queue-number change waited in during a storm). A frontend that cannot
/// keep up loses its oldest batches rather than growing the silo's memory. A batch dropped that way, or a
/// call that failed or timed out, marks the next call <see cref="PushBatch.FollowsLoss"/>, so the
/// frontend tells its pages to catch up by sequence instead of leaving a silent gap.
/// </summary>
internal sealed partial class FrontendFeed
{
    private const int MaxWaitingBatches = 1_000;
    private const int MaxItemsPerCall = 5_000;
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);
    private static readonly PushBatch NothingNew = new([], [], []);

    private readonly IFrontendObserver _frontend;
    private readonly ILogger _logger;
    private readonly Channel<PushBatch> _waiting;
    private readonly TimeSpan _deliveryTimeout;
    private int _lost;

    public FrontendFeed(IFrontendObserver frontend, ILogger logger)
        : this(frontend, logger, MaxWaitingBatches, DeliveryTimeout)
    {
    }

    /// <summary>Tests give a short line and timeout, to lose batches on purpose.</summary>
    internal FrontendFeed(IFrontendObserver frontend, ILogger logger, int maxWaitingBatches, TimeSpan deliveryTimeout)
    {
        (_frontend, _logger, _deliveryTimeout) = (frontend, logger, deliveryTimeout);
        _waiting = Channel.CreateBounded<PushBatch>(
            new BoundedChannelOptions(maxWaitingBatches) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest },
            _ => Volatile.Write(ref _lost, 1));
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
            if (Interlocked.Exchange(ref _lost, 0) == 1)
            {
                call = call with { FollowsLoss = true };
            }

            try
            {
                await _frontend.Deliver(call).WaitAsync(_deliveryTimeout);
            }
            catch (Exception ex)
            {
                // It may have arrived after all: a catch-up too many costs the pages one read each. An empty
                // call carries the loss if nothing else is published soon, paced so a frontend that is gone
                // costs one attempt a second until the directory drops it and completes the feed.
                Volatile.Write(ref _lost, 1);
                LogDeliveryFailed(ex);
                await Task.Delay(RetryAfterFailure);
                _waiting.Writer.TryWrite(NothingNew);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A push batch could not be handed to a frontend")]
    private partial void LogDeliveryFailed(Exception ex);
}
