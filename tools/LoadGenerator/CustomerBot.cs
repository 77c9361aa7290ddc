using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using OrleansSupport.Queues;
using OrleansSupport.Sessions;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// One simulated customer: connects, starts a session, asks for an operator, waits, chats, ends; or
/// gives up while waiting (the abandon rate).
/// </summary>
public sealed class CustomerBot(LoadOptions options, LoadMetrics metrics, string language, bool abandons)
{
    public async Task RunAsync(CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        await using var hub = Wire.Connect(options.Url, "/hubs/customer");
        var chatting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var repliesDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long lastSequence = 0;
        var replies = 0;
        LoadMetrics.ChatLedger? ledger = null;
        hub.On<SessionStatus>("StatusChanged", s =>
        {
            if (s == SessionStatus.Chatting)
            {
                chatting.TrySetResult();
            }
        });
        hub.On<ChatMessage>("Message", m =>
        {
            if (ledger is null)
            {
                return;
            }

            if (!ledger.Received(byCustomer: true, m.Sequence))
            {
                Interlocked.Increment(ref metrics.Duplicated);
                return;
            }

            // SignalR calls a connection's handlers one at a time, so plain fields are enough here.
            if (m.Sequence < lastSequence)
            {
                Interlocked.Increment(ref metrics.OutOfOrder);
            }

            lastSequence = Math.Max(lastSequence, m.Sequence);

            if (m.Author == MessageAuthor.Operator && Wire.TryReadStamp(m.Text, out var sentAt))
            {
                metrics.MessageEndToEnd.RecordSince(sentAt);
                Interlocked.Increment(ref metrics.MessagesReceived);
                if (Interlocked.Increment(ref replies) >= options.MessagesPerChat)
                {
                    repliesDone.TrySetResult();
                }
            }
        });

        try
        {
            await hub.StartAsync(stop);
            Interlocked.Increment(ref metrics.Connected);
            var session = (await hub.InvokeAsync<StartedSession>("StartSession", language, options.QuestionId, stop)).Session;
            ledger = metrics.Chat(session.SessionId);
            await hub.InvokeAsync<QueuePlace>("RequestOperator", stop);
            metrics.ConnectToFirstNumber.RecordSince(started);
            Interlocked.Increment(ref metrics.Queued);
            var queuedAt = Stopwatch.GetTimestamp();

            if (abandons)
            {
                await Task.Delay(Random.Shared.Next(100, 2000), stop);
                await hub.InvokeAsync("End", stop);
                Interlocked.Increment(ref metrics.Abandoned);
                return;
            }

            if (await Task.WhenAny(chatting.Task, Task.Delay(Timeout.Infinite, stop)) != chatting.Task)
            {
                Interlocked.Increment(ref metrics.Unserved); // the run ended before an operator came
                return;
            }

            metrics.QueueToOperator.RecordSince(queuedAt);
            Interlocked.Increment(ref metrics.Chatting);
            for (var i = 0; i < options.MessagesPerChat; i++)
            {
                var sent = await hub.InvokeAsync<ChatMessage>("SendMessage", Guid.NewGuid(), Wire.Stamp($"question {i}"), stop);
                ledger.Acked(byCustomer: true, sent.Sequence);
                Interlocked.Increment(ref metrics.MessagesSent);
                await Task.Delay(options.ThinkTime, stop);
            }

            // Wait for the operator's answers (a bounded time: a lost one must not hang the run).
            await Task.WhenAny(repliesDone.Task, Task.Delay(TimeSpan.FromSeconds(10), stop));
            await hub.InvokeAsync("End", CancellationToken.None);
            Interlocked.Increment(ref metrics.Completed);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception)
        {
            Interlocked.Increment(ref metrics.Errors);
        }
    }

    private sealed record StartedSession(string SessionToken, SessionView Session);
}
