using Microsoft.Extensions.Logging;

namespace OrleansSupport.Push;

/// <summary>
/// One per silo: the live frontends as <see cref="IFrontendDirectoryGrain"/> lists them, read at most every
/// 2 s however many pushes and presence checks want them, so the directory grain is not asked once per batch
/// or per grain. Callers at the same moment share one read. If the directory cannot be read, the last known
/// list is kept: better a push to, or a question for, a stale frontend than none at all.
/// </summary>
public sealed partial class LiveFrontends(IGrainFactory grains, TimeProvider clock, ILogger<LiveFrontends> logger)
{
    private readonly Lock _lock = new();
    private IFrontendObserver[] _live = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;
    private Task<IFrontendObserver[]>? _reading;

    /// <summary>The same array until the next read, so a caller can tell by reference that nothing was read since.</summary>
    public Task<IFrontendObserver[]> GetAsync()
    {
        lock (_lock)
        {
            if (clock.GetUtcNow() - _readAt <= FrontendListing.SiloRefresh)
            {
                return Task.FromResult(_live);
            }

            // Off the calling grain's scheduler: the read is shared, and must not depend on the first caller's activation.
            return _reading ??= Task.Run(ReadAsync);
        }
    }

    private async Task<IFrontendObserver[]> ReadAsync()
    {
        IFrontendObserver[] live;
        try
        {
            live = await grains.GetGrain<IFrontendDirectoryGrain>(0).GetLive();
        }
        catch (Exception ex)
        {
            LogDirectoryUnavailable(ex);
            lock (_lock)
            {
                _reading = null;
                return _live;
            }
        }

        lock (_lock)
        {
            (_live, _readAt, _reading) = (live, clock.GetUtcNow(), null);
            return live;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The frontend directory could not be read; using the last known list")]
    private partial void LogDirectoryUnavailable(Exception ex);
}
