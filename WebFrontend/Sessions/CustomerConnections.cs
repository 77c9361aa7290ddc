using OrleansSupport.WebFrontend.Hubs;

namespace OrleansSupport.WebFrontend.Sessions;

/// <summary>
/// The customer connections this frontend holds, per session: bound by start or resume, whatever the
/// session is doing (browsing, waiting, chatting). The one record of who is connected here.
/// </summary>
public sealed class CustomerConnections : ConnectionSet<Guid>;
