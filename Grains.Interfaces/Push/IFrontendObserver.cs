namespace OrleansSupport.Push;

/// <summary>
/// Implemented by every web frontend (an Orleans client). Silos batch what browsers must be told and
/// send each batch to every live frontend; a frontend forwards to the connections it holds. Nothing
/// assumes that a grain and a browser connection share a process.
/// </summary>
[Alias("OrleansSupport.Push.IFrontendObserver")]
public interface IFrontendObserver : IGrainObserver
{
    /// <summary>
    /// Two-way on purpose: a silo sends a frontend its next batch only when the previous one was taken,
    /// so a chat's messages reach browsers in order (one-way calls may be handled out of order). The
    /// frontend only queues the batch before answering.
    /// </summary>
    [Alias("Deliver")]
    Task Deliver(PushBatch batch);

    /// <summary>
    /// Those of <paramref name="sessionIds"/> with a customer connection on this frontend, answered at once from
    /// memory. A silo asks every live frontend, so presence needs no record per customer in the silo. A call to
    /// a frontend that died is not refused but left unanswered, hence the short timeout.
    /// </summary>
    [Alias("WhichAreConnected"), ResponseTimeout("00:00:02")]
    Task<Guid[]> WhichAreConnected(Guid[] sessionIds);
}
