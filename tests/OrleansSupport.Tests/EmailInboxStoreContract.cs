using System.Diagnostics;
using OrleansSupport.Email;
using OrleansSupport.Silo.Hosting;
using OrleansSupport.Silo.Storage;
using Xunit.Abstractions;

namespace OrleansSupport.Tests;

/// <summary>
/// What the e-mail inbox's store promises, on SQLite (<see cref="SqliteEmailInboxStoreTests"/>) and on
/// PostgreSQL (RealCluster/PostgresEmailInboxStoreTests): requests come back a page at a time in
/// submission order, each once; a reference is stored once and answered once; old ones can be trimmed.
/// </summary>
public abstract class EmailInboxStoreContract(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private IEmailInboxStore _store = null!;

    protected abstract StorageProvider Provider { get; }

    /// <summary>An empty database with the project's schema applied; its connection string.</summary>
    protected abstract Task<string> CreateDatabaseAsync();

    public async Task InitializeAsync() =>
        _store = new SqlEmailInboxStore(Provider, await CreateDatabaseAsync(), "tests", CompactStateSerializer.CreateStandalone());

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Ten_thousand_requests_come_back_a_page_at_a_time_oldest_first_each_once()
    {
        // Submitted out of order, two in the same tick: the order is (time, reference).
        var requests = Enumerable.Range(0, 10_000).Select(i => Request(i, Start.AddSeconds((i * 7919) % 10_000).AddTicks(i % 2))).ToList();
        requests.Add(Request(10_000, requests[0].SubmittedAt));
        await _store.AddManyAsync(requests);
        var expected = requests.OrderBy(r => r.SubmittedAt.UtcTicks).ThenBy(r => r.Reference, StringComparer.Ordinal).Select(r => r.Reference).ToList();

        var clock = Stopwatch.StartNew();
        var first = await _store.PageAsync(null, EmailInboxOptions.PageSize);
        output.WriteLine($"{Provider}: first page of {first.Length} from {requests.Count} in {clock.Elapsed.TotalMilliseconds:F1} ms");
        Assert.Equal(expected.Take(EmailInboxOptions.PageSize), first.Select(r => r.Reference));

        var all = new List<string>();
        EmailRequest[] page;
        do
        {
            page = await _store.PageAsync(all.Count == 0 ? null : all[^1], 500);
            all.AddRange(page.Select(r => r.Reference));
        }
        while (page.Length == 500);

        Assert.Equal(expected, all);
        Assert.Empty(await _store.PageAsync("SR-NOSUCHREF0", 10));
    }

    [Fact]
    public async Task A_reference_is_stored_once_and_answered_once()
    {
        var request = Request(1, Start);
        await _store.AddAsync(request);
        await _store.AddAsync(request with { Text = "a retried submit must not replace the first" });
        Assert.Equal(request.Text, (await _store.GetAsync(request.Reference))!.Text);

        var answered = request with { Answer = new EmailAnswer("olga", "Refunded today.", Start.AddHours(1)) };
        Assert.True(await _store.AnswerAsync(answered));
        Assert.False(await _store.AnswerAsync(request with { Answer = new EmailAnswer("sam", "Again.", Start.AddHours(2)) }));
        Assert.Equal(answered.Answer, (await _store.GetAsync(request.Reference))!.Answer);
        Assert.Null(await _store.GetAsync("SR-NOSUCHREF0"));
    }

    [Fact]
    public async Task Trimming_deletes_only_what_was_submitted_before_the_cut()
    {
        var old = Request(1, Start.AddDays(-91));
        var recent = Request(2, Start.AddDays(-89));
        await _store.AddManyAsync([old, recent]);

        Assert.Equal(1, await _store.TrimAsync(Start.AddDays(-90)));
        Assert.Equal([recent.Reference], (await _store.PageAsync(null, 10)).Select(r => r.Reference));
    }

    private static EmailRequest Request(int n, DateTimeOffset submittedAt) => new(
        $"SR-{n:D10}", "en", "payment.charged-twice", $"buyer{n}@example.com", $"A-{n}", $"Charged twice, order {n}", submittedAt);
}

/// <summary><see cref="EmailInboxStoreContract"/> on a SQLite file of its own.</summary>
public sealed class SqliteEmailInboxStoreTests(ITestOutputHelper output) : EmailInboxStoreContract(output)
{
    private readonly string _database = TestClusters.NewDatabasePath();

    protected override StorageProvider Provider => StorageProvider.Sqlite;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(TestClusters.SqliteWithSchema(_database));

    public override Task DisposeAsync()
    {
        TestClusters.DeleteDatabase(_database);
        return Task.CompletedTask;
    }
}
