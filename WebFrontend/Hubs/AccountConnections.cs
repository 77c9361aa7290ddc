namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>
/// Every operator hub connection this frontend holds, per account, from the moment it connects (before it
/// starts work and joins <see cref="OperatorConnections"/>), so that a sign-out, a password change or a
/// disabled account closes all of them at once, not only the consoles that started work.
/// </summary>
public sealed class AccountConnections : ConnectionSet<string>;
