namespace OrleansSupport.Storage;

/// <summary>
/// Lets the callers of a reentrant grain share storage writes. A caller changes the grain's memory, then
/// awaits <see cref="CommitAsync"/>: it joins the write that has not started yet (which will contain its
/// change), or queues one behind the write in flight. Under load one write carries many changes, so a busy
/// queue is not capped by the cost of one durable commit per call.
/// </summary>
/// <remarks>
/// Must be used from the grain's own scheduler only. The write delegate must capture an immutable snapshot
/// before its first await: storage providers may serialize on another thread while the grain goes on.
/// A failed write also fails the write queued behind it, unwritten: its snapshot would carry the failed
/// write's changes, whose callers were told they did not happen.
/// </remarks>
public sealed class GroupCommit(Func<Task> write)
{
    private Task _inFlight = Task.CompletedTask;
    private TaskCompletionSource? _queued;

    public Task CommitAsync()
    {
        if (_queued is { } waiting)
        {
            return waiting.Task;
        }

        // With no write in flight the new one starts right here, synchronously, and is no longer "queued"
        // when this returns: hand back its task from the local, not from the field.
        var next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _queued = next;
        _ = RunAfterInFlightAsync(next);
        return next.Task;
    }

    private async Task RunAfterInFlightAsync(TaskCompletionSource mine)
    {
        Exception? previousFailure = null;
        var previous = _inFlight;
        try
        {
            await previous;
        }
        catch (Exception ex)
        {
            previousFailure = ex;
        }

        // From here on, changes made by other callers are not in this write: they must queue the next one.
        if (ReferenceEquals(_queued, mine))
        {
            _queued = null;
        }

        if (previousFailure is not null)
        {
            // This write is failed in its place; a change made from now on starts afresh.
            if (ReferenceEquals(_inFlight, previous))
            {
                _inFlight = Task.CompletedTask;
            }

            mine.SetException(previousFailure);
            return;
        }

        var writing = write();
        _inFlight = writing;
        try
        {
            await writing;
            mine.SetResult();
        }
        catch (Exception ex)
        {
            mine.SetException(ex);
        }
    }
}
