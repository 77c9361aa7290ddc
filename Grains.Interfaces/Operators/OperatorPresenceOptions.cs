namespace OrleansSupport.Operators;

/// <summary>Configuration "Support:Operators".</summary>
public sealed class OperatorPresenceOptions
{
    public const string SectionName = "Support:Operators";

    /// <summary>How long an operator's console may be silent before their chats go back to the queue.</summary>
    public int GraceSeconds { get; set; } = 60;
}
