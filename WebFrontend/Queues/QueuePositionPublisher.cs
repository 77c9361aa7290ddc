using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// Twenty times a second, tells this frontend's waiting customers their new number and estimated wait when
/// they changed, and tells them once when their queue closes. Coalesced: a customer is pushed at most once
/// per <see cref="MinInterval"/>, however fast the queue moves. 600 ms, not 500: a customer must never see
/// more than 2 numbers in a second, and pushes sent 500 ms apart can arrive closer together.
/// </summary>
public sealed partial class QueuePositionPublisher(
    LocalWaiters waiters,
    QueueReplicas replicas,
    IHubContext<CustomerHub, ICustomerClient> hub,
    IOptions<LanguageOptions> languages,
    HelpCenter.LanguageHoursCache hours,
    [FromKeyedServices(SupportClock.Key)] TimeProvider supportClock,
    ILogger<QueuePositionPublisher> logger) : BackgroundService
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(600);

    /// <summary>
    /// A number whose interval is over still waits for the next tick. 50 ms, not 100: in P2 with operators
    /// finishing in step, p99 change → client went 604-821 → 580 ms; with operators not in step the
    /// steady p99 (360-505 → 389-459 ms) moved within the spread between runs. It cost the frontend ~5 %
    /// of a core with 10,000 waiting (44-45 → 49-51 %), measured while closed queues were also looked for
    /// every tick (see <see cref="TicksPerClosureCheck"/>).
    /// </summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Resync = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Closed queues are looked for every other tick (every 100 ms, as before the tick went to 50 ms): the
    /// check walks every waiter of the queue, and opening hours do not need the pace of queue numbers.
    /// </summary>
    private const int TicksPerClosureCheck = 2;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Pacing runs on real time; only opening hours follow the support clock.
        using var timer = new PeriodicTimer(Tick);
        var lastResync = DateTime.UtcNow;
        var throttled = new HashSet<string>(StringComparer.Ordinal);
        var ticks = 0L;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var checkClosures = ticks++ % TicksPerClosureCheck == 0;
            try
            {
                if (DateTime.UtcNow - lastResync > Resync)
                {
                    // Cheap insurance against a lost last delta, which no later delta would reveal; it also
                    // refreshes the pace of a line that has stopped moving.
                    lastResync = DateTime.UtcNow;
                    await Task.WhenAll(replicas.LoadedLanguages.ToArray().Select(replicas.ReloadAsync));
                }

                var stillThrottled = new HashSet<string>(StringComparer.Ordinal);
                foreach (var queue in waiters.ByLanguage())
                {
                    if (checkClosures)
                    {
                        await TellIfClosedAsync(queue);
                    }

                    var numbers = replicas.TakePositionsIfChanged(queue.Key, force: throttled.Contains(queue.Key));
                    if (numbers is not null && await PushChangedAsync(queue, numbers))
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
    private async Task<bool> PushChangedAsync(
        IGrouping<string, KeyValuePair<Guid, LocalWaiters.Waiter>> queue, QueueReplicas.QueueNumbers numbers)
    {
        var now = TimeProvider.System.GetUtcNow();
        var waiting = numbers.Positions.Count;
        var deferred = false;
        var sends = new List<Task>();
        foreach (var (sessionId, waiter) in queue)
        {
            if (!numbers.Positions.TryGetValue(sessionId, out var position))
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

            // Sent together, not one after another: with thousands waiting, awaiting each send in turn made
            // the last customers of a round wait for the first ones' sockets.
            var estimate = ServicePace.EstimatedWaitSeconds(position, numbers.SecondsPerCustomer);
            sends.Add(PushAsync(sessionId, waiter, new QueuePlace(queue.Key, position, waiting, estimate, numbers.AsOf, PushedAt: now)));
        }

        await Task.WhenAll(sends);
        return deferred;
    }

    /// <summary>
    /// The interval counts from when the number has left this frontend, not from the start of the round: a
    /// round to thousands of customers can take a few hundred milliseconds, and counted from its start, a
    /// customer's late push and their next-but-one early push could arrive less than a second apart (one
    /// P2 run in two had 0.6 % of numbers arrive 3 within a second; see docs/benchmarks.md).
    /// </summary>
    private async Task PushAsync(Guid sessionId, LocalWaiters.Waiter waiter, QueuePlace place)
    {
        await hub.Clients.Group(CustomerHub.GroupOf(sessionId)).QueuePosition(place);
        var sent = TimeProvider.System.GetUtcNow();
        lock (waiter)
        {
            if (sent > waiter.ShownAt)
            {
                waiter.ShownAt = sent;
            }
        }
    }

    /// <summary>
    /// A customer waiting in a queue that has just closed is told so and offered the fallback, not left
    /// to wait silently for an operator who will not come.
    /// </summary>
    private async Task TellIfClosedAsync(IGrouping<string, KeyValuePair<Guid, LocalWaiters.Waiter>> queue)
    {
        if (!languages.Value.IsKnown(queue.Key))
        {
            return;
        }

        var now = supportClock.GetUtcNow();
        var language = await hours.GetAsync(queue.Key);
        var open = language.IsOpenAt(now);
        var fallbackOpen = language.Fallback is { } fallback && (await hours.GetAsync(fallback)).IsOpenAt(now);
        foreach (var (sessionId, waiter) in queue)
        {
            lock (waiter)
            {
                if (open || waiter.ToldClosed)
                {
                    waiter.ToldClosed &= !open; // told again if the queue closes again later
                    continue;
                }

                waiter.ToldClosed = true;
            }

            await hub.Clients.Group(CustomerHub.GroupOf(sessionId)).QueueClosed(new QueueClosedNotice(queue.Key, language.Fallback, fallbackOpen));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue numbers could not be pushed this round")]
    private partial void LogTickFailed(Exception ex);
}
