using Orleans.Storage;

namespace OrleansSupport.Sessions;

/// <summary>
/// A chat's messages, stored in pages of <see cref="PageSize"/> beside the session's state (state names
/// "transcript-0", "transcript-1", ...). Every message is durable before it is acknowledged; when the
/// whole transcript was part of the session's state, each message rewrote all the ones before it, so a
/// long chat's writes grew with its length (at the limits, 2,000 messages of 4,000 characters: ~8 MB per
/// message). Now a message rewrites only its own page.
/// </summary>
/// <remarks>
/// Used from its grain's turn only. A page is complete when it holds <see cref="PageSize"/> messages, so
/// the transcript is read page by page until one is missing or not full: no count is kept elsewhere that
/// could disagree with the pages.
/// </remarks>
public sealed class Transcript(IGrainStorage storage, GrainId grainId)
{
    public const int PageSize = 25;

    private readonly List<GrainState<TranscriptPage>> _pages = [];
    private readonly SortedSet<int> _unsavedPages = [];

    public IEnumerable<ChatMessage> Messages => _pages.SelectMany(MessagesOf);

    /// <summary>Every page but the last is full.</summary>
    public int Count => _pages.Count == 0 ? 0 : ((_pages.Count - 1) * PageSize) + MessagesOf(_pages[^1]).Count;

    public static string PageName(int page) => $"transcript-{page}";

    /// <summary>Reads the stored pages, dropping whatever memory held that was not saved.</summary>
    public async Task LoadAsync()
    {
        _pages.Clear();
        _unsavedPages.Clear();
        while (true)
        {
            var page = new GrainState<TranscriptPage>(new TranscriptPage());
            await storage.ReadStateAsync(PageName(_pages.Count), grainId, page);
            if (!page.RecordExists)
            {
                return;
            }

            _pages.Add(page);
            if (MessagesOf(page).Count < PageSize)
            {
                return;
            }
        }
    }

    /// <summary>Adds the next message in memory; <see cref="SaveAsync"/> makes it durable.</summary>
    public void Add(ChatMessage message)
    {
        var page = Count / PageSize;
        if (page == _pages.Count)
        {
            _pages.Add(new GrainState<TranscriptPage>(new TranscriptPage()));
        }

        MessagesOf(_pages[page]).Add(message);
        _unsavedPages.Add(page);
    }

    /// <summary>Writes the pages changed since the last save (the grain saves after each message: one).</summary>
    public async Task SaveAsync()
    {
        if (_unsavedPages.Count == 0)
        {
            return;
        }

        await Task.WhenAll(_unsavedPages.Select(page => storage.WriteStateAsync(PageName(page), grainId, _pages[page])));
        _unsavedPages.Clear();
    }

    private static List<ChatMessage> MessagesOf(GrainState<TranscriptPage> page) => (page.State ??= new TranscriptPage()).Messages;
}

[GenerateSerializer, Alias("OrleansSupport.TranscriptPage")]
public sealed class TranscriptPage
{
    [Id(0)] public List<ChatMessage> Messages { get; set; } = [];
}
