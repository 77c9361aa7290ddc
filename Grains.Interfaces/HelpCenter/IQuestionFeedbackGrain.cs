namespace OrleansSupport.HelpCenter;

/// <summary>
/// "Did this solve your problem?" answers for one question (key: the question id): how often its
/// suggestions deflect a chat.
/// </summary>
[Alias("OrleansSupport.HelpCenter.IQuestionFeedbackGrain")]
public interface IQuestionFeedbackGrain : IGrainWithStringKey
{
    [Alias("Record")]
    Task Record(string suggestionId, bool solved);

    [Alias("GetCounts")]
    Task<SuggestionFeedback[]> GetCounts();
}

[GenerateSerializer, Immutable, Alias("OrleansSupport.SuggestionFeedback")]
public sealed record SuggestionFeedback(
    [property: Id(0)] string SuggestionId,
    [property: Id(1)] int Solved,
    [property: Id(2)] int NotSolved);
