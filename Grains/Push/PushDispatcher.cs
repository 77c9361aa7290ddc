using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansSupport.Push;

/// <summary>
/// One per silo. Grains hand it what browsers must be told; it gathers a few milliseconds' worth into one
/// batch and hands that batch to the feed of every live frontend, so a grain never waits on a browser, and
/// a slow or dead frontend delays only its own feed (its clients resume by sequence).
/// </summary>
public sealed class PushDispatcher(LiveFrontends frontends, ILogger<PushDispatcher> logger) : BackgroundService
{
    private const int MaxBatchItems = 500;
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(5);

    private readonly Channel<object> _pending = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<IFrontendObserver, FrontendFeed> _feeds = [];

    /// <summary>The list the feeds were last matched to; the same array means nothing was read since.</summary>
    private IFrontendObserver[]? _feedsMatch;

    public void Publish(QueueDelta delta) => _pending.Writer.TryWrite(delta);

    public void Publish(SessionEvent sessionEvent) => _pending.Writer.TryWrite(sessionEvent);

    public void Publish(OperatorEvent operatorEvent) => _pending.Writer.TryWrite(operatorEvent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _pending.Reader;
        var deltas = new List<QueueDelta>();
        var sessionEvents = new List<SessionEvent>();
        var operatorEvents = new List<OperatorEvent>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(BatchWindow, stoppingToken);
                var count = 0;
                while (count < MaxBatchItems && reader.TryRead(out var item))
                {
                    count++;
                    switch (item)
                    {
                        case QueueDelta d: deltas.Add(d); break;
                        case SessionEvent s: sessionEvents.Add(s); break;
                        case OperatorEvent o: operatorEvents.Add(o); break;
                    }
                }

                var batch = new PushBatch([.. deltas], [.. sessionEvents], [.. operatorEvents]);
                deltas.Clear();
                sessionEvents.Clear();
                operatorEvents.Clear();
                await SendToFrontendsAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var feed in _feeds.Values)
            {
                feed.Complete();
            }
        }
    }

    private async Task SendToFrontendsAsync(PushBatch batch)
    {
        await RefreshFeedsAsync();
        foreach (var feed in _feeds.Values)
        {
            feed.Enqueue(batch);
        }
    }

    /// <summary>A feed per live frontend: started for a new one, ended for one that left the directory.</summary>
    private async Task RefreshFeedsAsync()
    {
        var live = await frontends.GetAsync();
        if (ReferenceEquals(live, _feedsMatch))
        {
            return;
        }

        _feedsMatch = live;
        foreach (var gone in _feeds.Keys.Except(live).ToList())
        {
            _feeds[gone].Complete();
            _feeds.Remove(gone);
        }

        foreach (var frontend in live.Where(f => !_feeds.ContainsKey(f)))
        {
            _feeds[frontend] = new FrontendFeed(frontend, logger);
        }
    }
}
