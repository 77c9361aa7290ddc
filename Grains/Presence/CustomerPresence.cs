using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OrleansSupport.Push;

namespace OrleansSupport.Presence;

/// <summary>
/// One per silo: asks the live frontends which customer sessions they hold a connection of. The frontends
/// are the authority on that (each knows its own sockets, and a killed frontend takes its knowledge with it),
/// so nothing in the silo keeps a timer or a record per connected customer; the queues and operators that
/// need to know ask now and then for the customers they hold.
/// </summary>
/// <remarks>
/// Every live frontend is asked at once, each call bounded by <see cref="IFrontendObserver.WhichAreConnected"/>'s
/// response timeout: a call to a client that died is not refused but left unanswered. A frontend that does not
/// answer makes the answer inconclusive, unless it has not answered for <see cref="TakenForDeadAfter"/>: then it
/// is taken to hold no connections, so the customers of a killed frontend count as gone within seconds (the
/// directory forgets it only after 20 s), while a frontend slow for a moment never makes customers look gone.
/// </remarks>
public sealed partial class CustomerPresence(LiveFrontends frontends, TimeProvider clock, ILogger<CustomerPresence> logger)
{
    public static readonly TimeSpan TakenForDeadAfter = TimeSpan.FromSeconds(10);

    /// <summary>Since when each frontend has failed to answer, cleared by its next answer.</summary>
    private readonly ConcurrentDictionary<IFrontendObserver, DateTimeOffset> _silentSince = new();

    public async Task<PresenceAnswer> AskAsync(IReadOnlyCollection<Guid> sessionIds)
    {
        if (sessionIds.Count == 0)
        {
            return new PresenceAnswer(new HashSet<Guid>(), Conclusive: true);
        }

        var live = await frontends.GetAsync();
        if (live.Length == 0)
        {
            // The directory is being rebuilt (its silo died; frontends register again within 5 s), or no
            // frontend is up, so nobody could come back anyway: either way nobody is judged gone on this.
            return new PresenceAnswer(new HashSet<Guid>(), Conclusive: false);
        }

        var ids = sessionIds as Guid[] ?? [.. sessionIds];
        var answers = await Task.WhenAll(live.Select(f => IsTakenForDead(f) ? ProbeAsync(f) : AskOneAsync(f, ids)));
        ForgetSilenceOfGone(live);

        var connected = new HashSet<Guid>();
        var conclusive = true;
        foreach (var answer in answers)
        {
            if (answer is null)
            {
                conclusive = false;
            }
            else
            {
                connected.UnionWith(answer);
            }
        }

        return new PresenceAnswer(connected, conclusive);
    }

    private bool IsTakenForDead(IFrontendObserver frontend) =>
        _silentSince.TryGetValue(frontend, out var since) && clock.GetUtcNow() - since > TakenForDeadAfter;

    /// <summary>
    /// A frontend taken for dead holds nothing, and nobody waits for it; it is still asked (about nobody), so
    /// that one that was only cut off for a while counts again from its first answer.
    /// </summary>
    private Task<Guid[]?> ProbeAsync(IFrontendObserver frontend)
    {
        _ = AskOneAsync(frontend, []);
        return Task.FromResult<Guid[]?>([]);
    }

    /// <summary>The frontend's connected sessions among <paramref name="ids"/>; null when it may hold some but did not say.</summary>
    private async Task<Guid[]?> AskOneAsync(IFrontendObserver frontend, Guid[] ids)
    {
        try
        {
            var connected = await frontend.WhichAreConnected(ids);
            _silentSince.TryRemove(frontend, out _);
            return connected;
        }
        catch (Exception ex)
        {
            var now = clock.GetUtcNow();
            if (_silentSince.TryAdd(frontend, now))
            {
                LogFrontendSilent(ex); // once per silence, not once per question
            }

            return IsTakenForDead(frontend) ? [] : null;
        }
    }

    private void ForgetSilenceOfGone(IFrontendObserver[] live)
    {
        foreach (var frontend in _silentSince.Keys)
        {
            if (!live.Contains(frontend))
            {
                _silentSince.TryRemove(frontend, out _);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A frontend did not say which customers it holds; its customers count as unknown for now")]
    private partial void LogFrontendSilent(Exception ex);
}
