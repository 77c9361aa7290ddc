using OrleansSupport.Storage;

namespace OrleansSupport.HelpCenter;

/// <inheritdoc cref="IQuestionFeedbackGrain"/>
public sealed class QuestionFeedbackGrain(
    [PersistentState("question-feedback", StorageNames.Default)] IPersistentState<QuestionFeedbackState> state,
    HelpCatalog catalog) : Grain, IQuestionFeedbackGrain
{
    public async Task Record(string suggestionId, bool solved)
    {
        var question = catalog.EnsureQuestion(this.GetPrimaryKeyString());
        if (!question.Suggestions.Exists(s => s.Id == suggestionId))
        {
            throw new SupportException("unknown-suggestion", "Unknown suggestion.");
        }

        var counts = state.State.Counts.GetValueOrDefault(suggestionId) ?? new FeedbackCounts();
        state.State.Counts[suggestionId] = solved
            ? counts with { Solved = counts.Solved + 1 }
            : counts with { NotSolved = counts.NotSolved + 1 };
        await state.WriteStateAsync();
    }

    public Task<SuggestionFeedback[]> GetCounts() =>
        Task.FromResult(state.State.Counts.Select(c => new SuggestionFeedback(c.Key, c.Value.Solved, c.Value.NotSolved)).ToArray());
}

[GenerateSerializer, Alias("OrleansSupport.QuestionFeedbackState")]
public sealed class QuestionFeedbackState
{
    [Id(0)] public Dictionary<string, FeedbackCounts> Counts { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("OrleansSupport.FeedbackCounts")]
public sealed record FeedbackCounts
{
    [Id(0)] public int Solved { get; init; }
    [Id(1)] public int NotSolved { get; init; }
}
