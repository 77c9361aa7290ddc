namespace OrleansSupport.HotQueueBench;

/// <summary>The two calls measured, as a frontend's hub and an operator's grain make them.</summary>
public static class QueueCalls
{
    /// <summary>A fresh customer joins, waiting from now: always an insert at the tail, never a "found already".</summary>
    public static Task<QueuePlace> JoinAsync(IQueueGrain queue) => queue.Enqueue(Guid.NewGuid(), DateTimeOffset.UtcNow);

    /// <summary>An operator takes the head of the line; an empty line is a failure here, since nothing was dequeued.</summary>
    public static async Task DequeueAsync(IQueueGrain queue)
    {
        if (await queue.DequeueNext() is null)
        {
            throw new EmptyLineException();
        }
    }
}

/// <summary>DequeueNext answered nobody: the phase ran the line dry, and the call is not a dequeue.</summary>
public sealed class EmptyLineException() : Exception("The line was empty.");
