using System.Diagnostics;
using Microsoft.AspNetCore.SignalR.Client;
using OrleansSupport.Queues;
using OrleansSupport.Sessions;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// One simulated customer on one connection: starts a session, asks for an operator, waits watching the
/// number, chats, ends; or gives up while waiting (the abandon rate), or only holds the session open
/// (the connections scenario). With <see cref="LoadOptions.Repeat"/> it starts a new chat after each one.
/// </summary>
public sealed class CustomerBot(LoadOptions options, LoadMetrics metrics, Uri frontend, string language, bool abandons, bool inSpike)
{
    private readonly object _gate = new();
    private TaskCompletionSource _chatting = NewSignal();
    private TaskCompletionSource _answered = NewSignal();
    private LoadMetrics.ChatLedger? _ledger;
    private long _lastSequence;
    private int _sent;
    private int _replies;
    private bool _doneSending;
    private long? _arrivedBeforeLast;
    private long? _lastArrived;
    private DateTimeOffset? _pushedBeforeLast;
    private DateTimeOffset? _lastPushed;

    public async Task RunAsync(CancellationToken stop)
    {
        // A connection holds one session: a customer who comes back for another chat opens a new one.
        while (true)
        {
            var served = await OneConnectionAsync(stop);
            if (!options.Repeat || stop.IsCancellationRequested)
            {
                return;
            }

            if (!served)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None); // no tight loop against a failing server
            }
        }
    }

    /// <summary>False when the chat failed with an error.</summary>
    private async Task<bool> OneConnectionAsync(CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        await using var hub = Wire.Connect(frontend, "/hubs/customer");
        hub.On<SessionStatus>("StatusChanged", s =>
        {
            if (s == SessionStatus.Chatting)
            {
                _chatting.TrySetResult();
            }
        });
        hub.On<QueuePlace>("QueuePosition", OnQueuePosition);
        hub.On<ChatMessage>("Message", OnMessage);

        try
        {
            await hub.StartAsync(stop);
            Interlocked.Increment(ref metrics.Connected);
            await OneChatAsync(hub, started, stop);
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return true;
        }
        catch (Exception ex)
        {
            metrics.Error("customer", ex);
            return false;
        }
    }

    private async Task OneChatAsync(HubConnection hub, long started, CancellationToken stop)
    {
        var session = (await hub.InvokeAsync<StartedSession>("StartSession", language, options.QuestionId, stop)).Session;
        metrics.ConnectToSession.RecordSince(started);
        lock (_gate)
        {
            _ledger = metrics.Chat(session.SessionId);
            (_lastSequence, _sent, _replies, _doneSending) = (0, 0, 0, false);
            (_chatting, _answered) = (NewSignal(), NewSignal());
        }

        if (options.SessionsOnly)
        {
            Interlocked.Increment(ref metrics.SessionsHeld);
            await Task.Delay(Timeout.Infinite, stop);
        }

        await hub.InvokeAsync<QueuePlace>("RequestOperator", stop);
        (inSpike ? metrics.SpikeConnectToFirstNumber : metrics.ConnectToFirstNumber).RecordSince(started);
        Interlocked.Increment(ref metrics.Queued);
        var queuedAt = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref metrics.Waiting);
        try
        {
            if (abandons)
            {
                await Task.Delay(Random.Shared.Next(100, 2000), stop);
                await hub.InvokeAsync("End", stop);
                Interlocked.Increment(ref metrics.Abandoned);
                return;
            }

            if (await Task.WhenAny(_chatting.Task, Task.Delay(Timeout.Infinite, stop)) != _chatting.Task)
            {
                Interlocked.Increment(ref metrics.Unserved); // the run ended before an operator came
                return;
            }
        }
        finally
        {
            Interlocked.Decrement(ref metrics.Waiting);
        }

        metrics.QueueToOperator.RecordSince(queuedAt);
        Interlocked.Increment(ref metrics.Chatting);
        try
        {
            await ChatAsync(hub, stop);
        }
        finally
        {
            Interlocked.Decrement(ref metrics.Chatting);
        }
    }

    private async Task ChatAsync(HubConnection hub, CancellationToken stop)
    {
        var ledger = _ledger!;
        try
        {
            for (var i = 0; i < options.MessagesPerChat && !stop.IsCancellationRequested; i++)
            {
                // Not cancelled once sent: a message stored but never acknowledged would be answered after
                // the customer left, and show as lost though nothing was.
                var sent = await hub.InvokeAsync<ChatMessage>("SendMessage", Guid.NewGuid(), Wire.Stamp($"question {i}"), CancellationToken.None);
                ledger.Acked(byCustomer: true, sent.Sequence);
                Interlocked.Increment(ref metrics.MessagesSent);
                lock (_gate)
                {
                    _sent++;
                }

                await Task.Delay(options.ThinkTime, stop);
            }

            await Task.Delay(HoldForThisChat(), stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The run is over: still wait for the answers and end the chat, so every message is accounted for.
        }

        lock (_gate)
        {
            _doneSending = true;
            if (_replies >= _sent)
            {
                _answered.TrySetResult();
            }
        }

        // A bounded wait: a lost answer must show as lost, not hang the run. As long as Orleans' own call
        // timeout, because under saturation answers have taken 17 s: with a 10 s bound a late answer pushed
        // after the customer had left was counted as lost.
        if (await Task.WhenAny(_answered.Task, Task.Delay(AnswerWait, CancellationToken.None)) != _answered.Task)
        {
            Interlocked.Increment(ref metrics.GaveUpWaiting);
        }

        await hub.InvokeAsync("End", CancellationToken.None);
        Interlocked.Increment(ref metrics.Completed);
    }

    private TimeSpan HoldForThisChat() =>
        options.Hold * (1 + options.HoldSpread * (2 * Random.Shared.NextDouble() - 1));

    /// <summary>How long a customer waits for the answers to its last messages before ending the chat.</summary>
    public static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(30);

    private void OnQueuePosition(QueuePlace place)
    {
        Interlocked.Increment(ref metrics.PositionPushes);
        if (place.AsOf is { } asOf)
        {
            metrics.QueueNumberArrived(asOf);
        }

        // SignalR calls one connection's handlers one at a time; the fields are this connection's own.
        var now = Stopwatch.GetTimestamp();
        if (_arrivedBeforeLast is { } arrivedBefore)
        {
            metrics.ArrivedTooFast.Saw(Stopwatch.GetElapsedTime(arrivedBefore, now));
        }

        (_arrivedBeforeLast, _lastArrived) = (_lastArrived, now);

        if (place.PushedAt is { } pushedAt)
        {
            if (_pushedBeforeLast is { } before)
            {
                metrics.PushedTooFast.Saw(pushedAt - before);
            }

            (_pushedBeforeLast, _lastPushed) = (_lastPushed, pushedAt);
        }
    }

    private void OnMessage(ChatMessage m)
    {
        LoadMetrics.ChatLedger? ledger;
        lock (_gate)
        {
            ledger = _ledger;
        }

        if (ledger is null)
        {
            return;
        }

        if (!ledger.Received(byCustomer: true, m.Sequence))
        {
            Interlocked.Increment(ref metrics.Duplicated);
            return;
        }

        if (m.Code == SystemMessages.OperatorJoined.Code)
        {
            metrics.AcceptToCustomer.RecordSince(m.SentAt);
        }

        lock (_gate)
        {
            if (m.Sequence < _lastSequence)
            {
                Interlocked.Increment(ref metrics.OutOfOrder);
            }

            _lastSequence = Math.Max(_lastSequence, m.Sequence);
            if (m.Author == MessageAuthor.Operator && Wire.TryReadStamp(m.Text, out var sentAt))
            {
                metrics.MessageArrived(sentAt);
                Interlocked.Increment(ref metrics.MessagesReceived);
                if (++_replies >= _sent && _doneSending)
                {
                    _answered.TrySetResult();
                }
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed record StartedSession(string SessionToken, SessionView Session);
}
