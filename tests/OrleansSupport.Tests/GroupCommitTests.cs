using OrleansSupport.Storage;

namespace OrleansSupport.Tests;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task Callers_arriving_during_a_write_share_the_next_one()
    {
        var writes = new List<TaskCompletionSource>();
        var commit = new GroupCommit(() =>
        {
            var write = new TaskCompletionSource();
            writes.Add(write);
            return write.Task;
        });

        var first = commit.CommitAsync();
        var later = Enumerable.Range(0, 99).Select(_ => commit.CommitAsync()).ToArray();

        Assert.Single(writes);
        writes[0].SetResult();
        await first;
        await Eventually.Async(() => Task.FromResult(writes.Count), n => n == 2);
        Assert.All(later, t => Assert.False(t.IsCompleted));
        writes[1].SetResult();
        await Task.WhenAll(later);
        Assert.Equal(2, writes.Count);
    }

    [Fact]
    public async Task A_failed_write_also_fails_the_write_queued_behind_it_without_writing()
    {
        var attempt = 0;
        var gate = new TaskCompletionSource();
        var commit = new GroupCommit(async () =>
        {
            if (Interlocked.Increment(ref attempt) == 1)
            {
                await gate.Task;
                throw new InvalidOperationException("disk full");
            }
        });

        var failing = commit.CommitAsync();
        var next = commit.CommitAsync();
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        await Assert.ThrowsAsync<InvalidOperationException>(() => next);
        Assert.Equal(1, attempt);

        // A change made after the failure gets a write of its own.
        await commit.CommitAsync();
        Assert.Equal(2, attempt);
    }
}
