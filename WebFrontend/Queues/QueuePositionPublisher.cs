using Microsoft.AspNetCore.SignalR;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// A few times a second, tells this frontend's waiting customers their new number when it changed.
/// Coalesced: a customer is pushed at most once per <see cref="MinInterval"/>, however fast the queue moves.
/// </summary>
public sealed partial class QueuePositionPublisher(
    LocalWaiters waiters,
    QueueReplicas replicas,
    IHubContext<CustomerHub, ICustomerClient> hub,
    TimeProvider clock,
    ILogger<QueuePositionPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, clock);
        var lastResync = clock.GetUtcNow();
        var throttled = new HashSet<string>(StringComparer.Ordinal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (clock.GetUtcNow() - lastResync > Resync)
                {
                    // Cheap insurance against a lost last delta, which no later delta would reveal.
                    lastResync = clock.GetUtcNow();
                    await Task.WhenAll(replicas.LoadedLanguages.ToArray().Select(replicas.ReloadAsync));
                }

                var stillThrottled = new HashSet<string>(StringComparer.Ordinal);
                foreach (var queue in waiters.ByLanguage())
                {
                    var positions = replicas.TakePositionsIfChanged(queue.Key, force: throttled.Contains(queue.Key));
                    if (positions is not null && await PushChangedAsync(queue, positions))
                    {
                        stillThrottled.Add(queue.Key);
                    }
                }

                throttled = stillThrottled;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTickFailed(ex);
            }
        }
    }

    /// <summary>Pushes changed numbers; true when some had to wait for their interval.</summary>
    private async Task<bool> PushChangedAsync(IGrouping<string, KeyValuePair<Guid, LocalWaiters.Waiter>> queue, Dictionary<Guid, int> positions)
    {
        var now = clock.GetUtcNow();
        var waiting = positions.Count;
        var deferred = false;
        foreach (var (sessionId, waiter) in queue)
        {
            if (!positions.TryGetValue(sessionId, out var position))
            {
                continue; // served or left: the session's own event tells the browser
            }

            lock (waiter)
            {
                if (position == waiter.ShownPosition)
                {
                    continue;
                }

                if (now - waiter.ShownAt < MinInterval)
                {
                    deferred = true;
                    continue;
                }

                waiter.ShownPosition = position;
                waiter.ShownAt = now;
            }

            await hub.Clients.Group(CustomerHub.GroupOf(sessionId)).QueuePosition(new QueuePlace(queue.Key, position, waiting));
        }

        return deferred;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue numbers could not be pushed this round")]
    private partial void LogTickFailed(Exception ex);
}
