using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using OrleansSupport.WebFrontend.HelpCenter;
using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.WebFrontend.Queues;

/// <summary>
/// The path from a queue's change to a waiting customer's screen, and the one owner of its state (a
/// <see cref="QueueNumberBoard"/>). Hubs and the push receiver hand it what they learn (a customer waits,
/// no longer waits; a queue changed); one loop applies those in order, twenty times a second pushes the
/// numbers that fell due and, every other time, tells the waiters of a queue that closed. It is also the
/// one place that reads a queue's whole order, when a copy is missing, stale or due for a resync.
/// </summary>
public sealed partial class QueueNumbers(
    IGrainFactory grains,
    IHubContext<CustomerHub, ICustomerClient> hub,
    Admissions admissions,
    IOptions<LanguageOptions> languages,
    LanguageHoursCache hours,
    [FromKeyedServices(SupportClock.Key)] TimeProvider supportClock,
    ILogger<QueueNumbers> logger) : BackgroundService
{
    /// <summary>A number that fell due waits at most this long.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    /// <summary>Closed queues are looked for every other tick: opening hours do not need the pace of numbers.</summary>
    private const int TicksPerClosureCheck = 2;

    /// <summary>Customers no longer in their line are looked for once a second: each look goes through all.</summary>
    private const int TicksPerMissingCheck = 20;

    /// <summary>
    /// Refreshes per tick. While a customer is being admitted (starting a session, joining a queue,
    /// resuming) the frontend sends fewer, the most overdue first, so that a surge of newcomers does not
    /// wait behind numbers already on screen; the rest go out on the next ticks.
    /// </summary>
    private const int RefreshesPerTick = 1_000;
    private const int RefreshesPerTickWhileAdmitting = 200;

    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new UnboundedChannelOptions { SingleReader = true });
    private readonly QueueNumberBoard _board = new();
    private int _tickPending;

    private abstract record Input;

    private sealed record Watched(Guid SessionId, QueuePlace Place) : Input;

    private sealed record Forgotten(Guid SessionId) : Input;

    private sealed record Changed(QueueDelta[] Deltas) : Input;

    private sealed record Loaded(QueueSnapshot Snapshot) : Input;

    private sealed record LoadFailed(string Language) : Input;

    private sealed record Sent(Guid SessionId, DateTimeOffset At) : Input;

    private sealed record Ticked : Input;

    /// <summary>A customer connected here waits; the queue just told them <paramref name="place"/>.</summary>
    public void Watch(Guid sessionId, QueuePlace place) => _inputs.Writer.TryWrite(new Watched(sessionId, place));

    /// <summary>The customer no longer waits, or their last connection here closed.</summary>
    public void Forget(Guid sessionId) => _inputs.Writer.TryWrite(new Forgotten(sessionId));

    /// <summary>Queue deltas from a silo's push batch, in the order the queues published them.</summary>
    public void Apply(QueueDelta[] deltas)
    {
        if (deltas.Length > 0)
        {
            _inputs.Writer.TryWrite(new Changed(deltas));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _ = TickAsync(stoppingToken);
        var ticks = 0L;
        await foreach (var input in _inputs.Reader.ReadAllAsync(stoppingToken))
        {
            var now = TimeProvider.System.GetUtcNow();
            try
            {
                switch (input)
                {
                    case Watched w: _board.Watch(w.SessionId, w.Place, now); break;
                    case Forgotten f: _board.Forget(f.SessionId, now); break;
                    case Changed c: Array.ForEach(c.Deltas, _board.Apply); break;
                    case Loaded l: _board.Loaded(l.Snapshot, now); break;
                    case LoadFailed l: _board.LoadFailed(l.Language); break;
                    case Sent s: _board.Sent(s.SessionId, s.At); break;
                    case Ticked:
                        Volatile.Write(ref _tickPending, 0);
                        await OnTickAsync(now, ticks++);
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogInputFailed(ex, input.GetType().Name);
            }
        }
    }

    /// <summary>Asks the loop to tick; a tick it has not taken yet is not asked for twice.</summary>
    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (Interlocked.Exchange(ref _tickPending, 1) == 0)
            {
                _inputs.Writer.TryWrite(new Ticked());
            }
        }
    }

    private async Task OnTickAsync(DateTimeOffset now, long tick)
    {
        foreach (var language in _board.TakeLoadsDue(now))
        {
            _ = LoadAsync(language);
        }

        if (tick % TicksPerMissingCheck == 0)
        {
            _board.ForgetMissing(now);
        }

        var limit = admissions.Any ? RefreshesPerTickWhileAdmitting : RefreshesPerTick;
        foreach (var push in _board.TakeDue(now, limit))
        {
            _ = PushAsync(push);
        }

        if (tick % TicksPerClosureCheck == 0)
        {
            await TellClosedQueuesAsync();
        }
    }

    /// <summary>Not awaited by the loop: one slow connection must not hold up anybody else's number.</summary>
    private async Task PushAsync(NumberPush push)
    {
        try
        {
            await hub.Clients.Group(CustomerHub.GroupOf(push.SessionId)).QueuePosition(push.Place);
        }
        catch (Exception ex)
        {
            LogPushFailed(ex, push.SessionId);
        }
        finally
        {
            _inputs.Writer.TryWrite(new Sent(push.SessionId, TimeProvider.System.GetUtcNow()));
        }
    }

    private async Task LoadAsync(string language)
    {
        try
        {
            _inputs.Writer.TryWrite(new Loaded(await grains.GetGrain<IQueueGrain>(language).GetSnapshot()));
        }
        catch (Exception ex)
        {
            LogLoadFailed(ex, language);
            _inputs.Writer.TryWrite(new LoadFailed(language));
        }
    }

    /// <summary>
    /// A customer waiting in a queue that has just closed is told so and offered the fallback, not left
    /// to wait silently for an operator who will not come.
    /// </summary>
    private async Task TellClosedQueuesAsync()
    {
        var now = supportClock.GetUtcNow();
        foreach (var language in _board.WaitingLanguages.ToList())
        {
            if (!languages.Value.IsKnown(language))
            {
                continue;
            }

            var hoursNow = await hours.GetAsync(language);
            var open = hoursNow.IsOpenAt(now);
            var notices = _board.TakeClosedNotices(language, open);
            if (notices.Count == 0)
            {
                continue;
            }

            var fallbackOpen = hoursNow.Fallback is { } fallback && (await hours.GetAsync(fallback)).IsOpenAt(now);
            var notice = new QueueClosedNotice(language, hoursNow.Fallback, fallbackOpen);
            foreach (var sessionId in notices)
            {
                _ = TellClosedAsync(sessionId, notice);
            }
        }
    }

    private async Task TellClosedAsync(Guid sessionId, QueueClosedNotice notice)
    {
        try
        {
            await hub.Clients.Group(CustomerHub.GroupOf(sessionId)).QueueClosed(notice);
        }
        catch (Exception ex)
        {
            LogPushFailed(ex, sessionId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue numbers: a {Input} could not be handled")]
    private partial void LogInputFailed(Exception ex, string input);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A queue notice to session {SessionId} could not be pushed")]
    private partial void LogPushFailed(Exception ex, Guid sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The order of queue {Language} could not be read")]
    private partial void LogLoadFailed(Exception ex, string language);
}
