namespace OrleansSupport.WebFrontend.Hubs;

/// <summary>The operator consoles this frontend holds, per operator: bound by sign-in, removed when they close.</summary>
public sealed class OperatorConnections : ConnectionSet<string>;
