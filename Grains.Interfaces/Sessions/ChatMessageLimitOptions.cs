namespace OrleansSupport.Sessions;

/// <summary>
/// Configuration "Support:ChatMessages": how fast one side of one chat may send. A person types a few
/// messages a second at most; more is a flood, refused with "rate-limited" without slowing anyone else.
/// A load test that measures how many messages the servers can carry raises these.
/// </summary>
public sealed class ChatMessageLimitOptions : IValidatedSettings
{
    public const string SectionName = "Support:ChatMessages";

    public double CustomerPerSecond { get; set; } = 2;
    public double CustomerBurst { get; set; } = 10;
    public double OperatorPerSecond { get; set; } = 5;
    public double OperatorBurst { get; set; } = 20;

    /// <summary>Every problem at once, each naming its configuration key.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        foreach (var (name, value) in new[] { (nameof(CustomerPerSecond), CustomerPerSecond), (nameof(OperatorPerSecond), OperatorPerSecond) })
        {
            if (value <= 0)
            {
                problems.Add($"{SectionName}:{name} is {value}; it must be a positive rate.");
            }
        }

        foreach (var (name, value) in new[] { (nameof(CustomerBurst), CustomerBurst), (nameof(OperatorBurst), OperatorBurst) })
        {
            if (value < 1)
            {
                problems.Add($"{SectionName}:{name} is {value}; it must be at least 1 (one message at once).");
            }
        }

        return problems;
    }
}
