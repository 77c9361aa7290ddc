namespace OrleansSupport.Sessions;

[GenerateSerializer, Alias("OrleansSupport.SessionState")]
public sealed class SessionState
{
    [Id(0)] public SessionStatus Status { get; set; } = SessionStatus.New;
    [Id(1)] public string Language { get; set; } = "";

    /// <summary>SHA-256 of the customer's secret; the secret itself is never stored.</summary>
    [Id(2)] public byte[] SecretHash { get; set; } = [];

    [Id(3)] public string? OperatorId { get; set; }

    /// <summary>When the customer first asked for an operator; kept through returns and transfers.</summary>
    [Id(4)] public DateTimeOffset? WaitingSince { get; set; }

    // Id 5 held the whole transcript until it moved to pages of its own (Transcript); not to be reused.

    /// <summary>The help-center question the customer chose; shown to the operator.</summary>
    [Id(6)] public string? QuestionId { get; set; }

    /// <summary>The customer's rating of the ended chat, with the operator who served it.</summary>
    [Id(7)] public ChatRating? Rating { get; set; }

    /// <summary>The operator who served the chat, kept after it ended (for ratings and transcripts).</summary>
    [Id(8)] public string? ServedBy { get; set; }

    /// <summary>When the chat ended (support clock); its token works for <see cref="EndedChatOptions.ReadableFor"/> after.</summary>
    [Id(9)] public DateTimeOffset? EndedAt { get; set; }
}
