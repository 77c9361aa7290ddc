using Microsoft.Extensions.Options;
using OrleansSupport.Storage;

namespace OrleansSupport.Operators;

/// <inheritdoc cref="ICannedRepliesGrain"/>
public sealed class CannedRepliesGrain(
    [PersistentState("canned-replies", StorageNames.Default)] IPersistentState<CannedRepliesState> state,
    IOptions<LanguageOptions> languages) : Grain, ICannedRepliesGrain
{
    // Sized so that a full list fits one hub frame (FrontendApp.MaxReceiveBytes) in any language.
    public const int MaxReplies = 20;
    public const int MaxReplyLength = 500;

    public Task<string[]> Get() => Task.FromResult(state.State.Replies.ToArray());

    public async Task<string[]> Set(string[] replies)
    {
        languages.Value.EnsureKnown(this.GetPrimaryKeyString());
        var cleaned = (replies ?? []).Select(r => r?.Trim() ?? "").Where(r => r.Length > 0).ToList();
        if (cleaned.Count > MaxReplies || cleaned.Exists(r => r.Length > MaxReplyLength))
        {
            throw new SupportException("bad-canned-replies", $"At most {MaxReplies} replies of at most {MaxReplyLength} characters each.");
        }

        state.State.Replies = cleaned;
        await state.WriteStateAsync();
        return [.. cleaned];
    }
}

[GenerateSerializer, Alias("OrleansSupport.CannedRepliesState")]
public sealed class CannedRepliesState
{
    [Id(0)] public List<string> Replies { get; set; } = [];
}
