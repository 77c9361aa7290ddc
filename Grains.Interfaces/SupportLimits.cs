namespace OrleansSupport;

/// <summary>Input limits shared by the hubs and the grains, so both refuse the same things.</summary>
public static class SupportLimits
{
    public const int MaxMessageLength = 4000;
    public const int MaxTranscriptMessages = 2000;
    public const int MaxOperatorCapacity = 20;
    public const int MaxRatingCommentLength = 1000;
}
