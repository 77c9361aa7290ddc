namespace OrleansSupport.Push;

/// <summary>
/// Implemented by every web frontend (an Orleans client). Silos batch what browsers must be told and
/// send each batch to every live frontend; a frontend forwards to the connections it holds. Nothing
/// assumes that a grain and a browser connection share a process.
/// </summary>
[Alias("OrleansSupport.Push.IFrontendObserver")]
public interface IFrontendObserver : IGrainObserver
{
    [OneWay, Alias("Deliver")]
    Task Deliver(PushBatch batch);
}
