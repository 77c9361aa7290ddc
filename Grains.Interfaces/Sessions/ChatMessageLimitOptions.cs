namespace OrleansSupport.Sessions;

/// <summary>
/// Configuration "Support:ChatMessages": how fast one side of one chat may send. A person types a few
/// messages a second at most; more is a flood, refused with "rate-limited" without slowing anyone else.
/// A load test that measures how many messages the servers can carry raises these.
/// </summary>
public sealed class ChatMessageLimitOptions
{
    public const string SectionName = "Support:ChatMessages";

    public double CustomerPerSecond { get; set; } = 2;
    public double CustomerBurst { get; set; } = 10;
    public double OperatorPerSecond { get; set; } = 5;
    public double OperatorBurst { get; set; } = 20;

    public bool IsValid => CustomerPerSecond > 0 && OperatorPerSecond > 0 && CustomerBurst >= 1 && OperatorBurst >= 1;
}
