namespace OrleansSupport;

/// <summary>
/// A refusal that the caller caused (bad input, wrong state, unknown id). Its message is safe to show
/// to the client; anything else is reported as a generic failure.
/// </summary>
[GenerateSerializer, Alias("OrleansSupport.SupportException")]
public sealed class SupportException : Exception
{
    public SupportException(string code, string message) : base(message) => Code = code;

    /// <summary>A stable machine-readable reason, e.g. "message-too-long".</summary>
    [Id(0)]
    public string Code { get; init; }
}
