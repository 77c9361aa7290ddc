using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansSupport.Push;

/// <summary>
/// One per silo. Grains hand it what browsers must be told and which frontends hold those browsers; it
/// gathers a few milliseconds' worth, sorts the items by frontend and hands each frontend's share to that
/// frontend's feed, so a grain never waits on a browser, a frontend handles only its own customers' and
/// operators' pushes, and a slow or dead frontend delays only its own feed (its clients resume by sequence).
/// </summary>
/// <remarks>
/// An item without targets (the grain does not know where its readers are) goes to every frontend the
/// directory lists. An item with targets goes to them whether or not the directory lists them: a target has
/// called a grain, and the directory may not list it yet (it is read every 2 s) or any more (it is rebuilt
/// by the frontends' renewals after its silo died). A feed that is neither listed nor targeted for
/// <see cref="UnusedFeedKept"/> is ended.
/// </remarks>
public sealed class PushDispatcher(LiveFrontends frontends, TimeProvider clock, ILogger<PushDispatcher> logger) : BackgroundService
{
    private const int MaxBatchItems = 500;
    private static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan UnusedFeedKept = TimeSpan.FromSeconds(30);

    private readonly Channel<Targeted> _pending = Channel.CreateUnbounded<Targeted>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<IFrontendObserver, Reader> _readers = [];

    /// <summary>The directory's list when last read; the same array means nothing was read since.</summary>
    private IFrontendObserver[] _listed = [];

    private readonly record struct Targeted(object Item, IFrontendObserver[]? To);

    /// <summary>A frontend's feed and its share of the batch being gathered.</summary>
    private sealed class Reader(FrontendFeed feed)
    {
        public FrontendFeed Feed { get; } = feed;

        public BatchBuilder Share { get; } = new();

        public DateTimeOffset TargetedAt { get; set; }
    }

    /// <param name="to">The frontends to tell; null for every frontend the directory lists.</param>
    public void Publish(QueueDelta delta, IFrontendObserver[]? to) => _pending.Writer.TryWrite(new(delta, to));

    /// <inheritdoc cref="Publish(QueueDelta, IFrontendObserver[])"/>
    public void Publish(SessionEvent sessionEvent, IFrontendObserver[]? to) => _pending.Writer.TryWrite(new(sessionEvent, to));

    /// <inheritdoc cref="Publish(QueueDelta, IFrontendObserver[])"/>
    public void Publish(OperatorEvent operatorEvent, IFrontendObserver[]? to) => _pending.Writer.TryWrite(new(operatorEvent, to));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _pending.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(BatchWindow, stoppingToken);
                await RefreshListedAsync();
                var now = clock.GetUtcNow();
                var count = 0;
                while (count < MaxBatchItems && reader.TryRead(out var targeted))
                {
                    count++;
                    Share(targeted, now);
                }

                foreach (var frontend in _readers.Values)
                {
                    if (frontend.Share.TakeBatch() is { } batch)
                    {
                        frontend.Feed.Enqueue(batch);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var frontend in _readers.Values)
            {
                frontend.Feed.Complete();
            }
        }
    }

    private void Share(Targeted targeted, DateTimeOffset now)
    {
        if (targeted.To is null)
        {
            foreach (var frontend in _listed)
            {
                _readers[frontend].Share.Add(targeted.Item);
            }

            return;
        }

        foreach (var frontend in targeted.To)
        {
            var reader = ReaderOf(frontend);
            reader.TargetedAt = now;
            reader.Share.Add(targeted.Item);
        }
    }

    private Reader ReaderOf(IFrontendObserver frontend)
    {
        if (!_readers.TryGetValue(frontend, out var reader))
        {
            _readers[frontend] = reader = new Reader(new FrontendFeed(frontend, logger));
        }

        return reader;
    }

    /// <summary>A reader for every listed frontend; readers neither listed nor targeted for a while are ended.</summary>
    private async Task RefreshListedAsync()
    {
        var listed = await frontends.GetAsync();
        if (ReferenceEquals(listed, _listed))
        {
            return;
        }

        _listed = listed;
        foreach (var frontend in listed)
        {
            ReaderOf(frontend);
        }

        var now = clock.GetUtcNow();
        foreach (var (frontend, reader) in _readers.ToList())
        {
            if (!listed.Contains(frontend) && now - reader.TargetedAt > UnusedFeedKept)
            {
                reader.Feed.Complete();
                _readers.Remove(frontend);
            }
        }
    }

    /// <summary>One frontend's items of the batch being gathered, each kind in publishing order.</summary>
    private sealed class BatchBuilder
    {
        private readonly List<QueueDelta> _deltas = [];
        private readonly List<SessionEvent> _sessionEvents = [];
        private readonly List<OperatorEvent> _operatorEvents = [];

        public void Add(object item)
        {
            switch (item)
            {
                case QueueDelta d: _deltas.Add(d); break;
                case SessionEvent s: _sessionEvents.Add(s); break;
                case OperatorEvent o: _operatorEvents.Add(o); break;
            }
        }

        public PushBatch? TakeBatch()
        {
            if (_deltas.Count + _sessionEvents.Count + _operatorEvents.Count == 0)
            {
                return null;
            }

            var batch = new PushBatch([.. _deltas], [.. _sessionEvents], [.. _operatorEvents]);
            _deltas.Clear();
            _sessionEvents.Clear();
            _operatorEvents.Clear();
            return batch;
        }
    }
}
