using Orleans.Runtime;

namespace OrleansSupport.Push;

/// <summary>
/// The frontend a grain call came from. Every frontend puts its own observer into the request context of
/// each call it makes, so a grain that a browser connection calls (a session started or resumed, a console's
/// heartbeat, a queue copy reloaded) learns which frontend holds that connection and can push to that
/// frontend only.
/// </summary>
/// <remarks>
/// The request context travels on with every call the grain makes in turn, so <see cref="Current"/> means
/// "the frontend that called me" only in methods that frontends call directly; a grain reads it nowhere else.
/// </remarks>
public static class CallingFrontend
{
    public const string Key = "support-frontend";

    public static IFrontendObserver? Current => RequestContext.Get(Key) as IFrontendObserver;

    /// <summary>
    /// Set on a chat message's send when the sending connection is the only one of its side (the customer's
    /// pages, or the operator's consoles) on the calling frontend: that connection has the message from its
    /// acknowledgement, so the frontend needs no push of it for that side.
    /// </summary>
    public const string SenderAloneKey = "support-sender-alone";

    public static bool SenderIsAlone => RequestContext.Get(SenderAloneKey) is true;
}
