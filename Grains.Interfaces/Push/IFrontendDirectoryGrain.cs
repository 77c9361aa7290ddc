namespace OrleansSupport.Push;

/// <summary>
/// The live frontends (key: 0). Not persisted: frontends re-register every few seconds and an entry
/// not renewed within the expiry is dropped, so a frontend that died is forgotten by itself.
/// </summary>
[Alias("OrleansSupport.Push.IFrontendDirectoryGrain")]
public interface IFrontendDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Lists or renews the frontend. True when it was not listed: its first registration, or one after the
    /// directory lost it (died with its silo, or the entry expired). Pushes published meanwhile missed it.
    /// </summary>
    [Alias("Register")]
    Task<bool> Register(string frontendId, IFrontendObserver observer);

    [Alias("Unregister")]
    Task Unregister(string frontendId);

    [Alias("GetLive")]
    Task<IFrontendObserver[]> GetLive();
}
