using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// What a run measured. Latencies go into HdrHistograms (microseconds); every message is accounted for
/// per chat, so lost, duplicated and out-of-order deliveries are counted, not guessed.
/// </summary>
public sealed class LoadMetrics
{
    private const long HighestMicroseconds = 3_600_000_000L;

    public Latency ConnectToSession { get; } = new();
    public Latency ConnectToFirstNumber { get; } = new();

    /// <summary>Connect to first number for the customers of the spike only.</summary>
    public Latency SpikeConnectToFirstNumber { get; } = new();

    /// <summary>The line changed (the queue's time stamp on the pushed number) to the customer holding it.</summary>
    public Latency QueueNumberChange { get; } = new();

    /// <summary>The same, from 5 s after the last customer arrived: the line moving, not filling.</summary>
    public Latency QueueNumberChangeSteady { get; } = new();

    /// <summary>Set once everyone is in and 5 s have passed; steady-state figures are recorded from then.</summary>
    public volatile bool Steady;
    public Latency QueueToOperator { get; } = new();

    /// <summary>An operator took the chat (the time on the "operator joined" line) to the customer seeing it.</summary>
    public Latency AcceptToCustomer { get; } = new();
    public Latency MessageEndToEnd { get; } = new();
    public Latency MessageEndToEndSteady { get; } = new();

    /// <summary>
    /// How late the generator's own 20 ms timer fires: while it is late, pushes wait unread in its sockets
    /// and arrive "together" when it catches up, which is the generator's delay, not the servers'.
    /// </summary>
    public Latency GeneratorLag { get; } = new();

    /// <summary>A message stamped at <paramref name="sentAt"/> (a Stopwatch timestamp) arrived: over the run, and once steady.</summary>
    public void MessageArrived(long sentAt) => RecordOverRunAndSteady(MessageEndToEnd, MessageEndToEndSteady, Stopwatch.GetElapsedTime(sentAt));

    /// <summary>A queue number holding the line's change at <paramref name="asOf"/> arrived: over the run, and once steady.</summary>
    public void QueueNumberArrived(DateTimeOffset asOf) =>
        RecordOverRunAndSteady(QueueNumberChange, QueueNumberChangeSteady, DateTimeOffset.UtcNow - asOf);

    private void RecordOverRunAndSteady(Latency overRun, Latency steady, TimeSpan elapsed)
    {
        overRun.Record(elapsed);
        if (Steady)
        {
            steady.Record(elapsed);
        }
    }

    public long Connected;
    public long SessionsHeld;
    public long PositionPushes;

    /// <summary>
    /// Numbers one customer got 3 of within a second, by the frontend's push stamps: the servers' pacing
    /// ("no customer pushed more than 2 times a second").
    /// </summary>
    public ThreeWithinASecond PushedTooFast { get; } = new();

    /// <summary>The same by when they arrived here, which adds what delayed them on the way and in this process.</summary>
    public ThreeWithinASecond ArrivedTooFast { get; } = new();
    public long Queued;
    public long Chatting;

    /// <summary>Customers in a queue right now (asked for an operator, none joined yet).</summary>
    public long Waiting;
    public long Completed;
    public long Abandoned;
    public long Unserved;

    /// <summary>Customers who stopped waiting for an answer (see <see cref="CustomerBot"/>): a loss counted then may only be late.</summary>
    public long GaveUpWaiting;
    public long Errors;
    public long MessagesSent;
    public long MessagesReceived;
    public long Duplicated;
    public long OutOfOrder;

    /// <summary>What the first few distinct errors said, for the report.</summary>
    public ConcurrentDictionary<string, long> ErrorKinds { get; } = new();


    public void Error(string who, Exception ex)
    {
        Interlocked.Increment(ref Errors);
        var kind = $"{who}: {ex.GetType().Name}: {ex.Message}";
        if (ErrorKinds.Count < 10 || ErrorKinds.ContainsKey(kind))
        {
            ErrorKinds.AddOrUpdate(kind, 1, (_, n) => n + 1);
        }
    }

    /// <summary>Per chat: what each side was told was stored, and what each side received.</summary>
    public ConcurrentDictionary<Guid, ChatLedger> Chats { get; } = new();

    public ChatLedger Chat(Guid sessionId) => Chats.GetOrAdd(sessionId, _ => new ChatLedger());

    /// <summary>Messages acknowledged to one side that the other side never received.</summary>
    public long Lost => Chats.Values.Sum(c => c.Lost());

    /// <summary>Counts the numbers that came less than a second after the one before the last, and the closest three.</summary>
    public sealed class ThreeWithinASecond
    {
        private long _count;
        private long _closestMs = long.MaxValue;

        public long Count => Interlocked.Read(ref _count);

        /// <summary>The shortest time over which one customer got three numbers: how close the cap came.</summary>
        public long? ClosestMs => Interlocked.Read(ref _closestMs) is var ms && ms != long.MaxValue ? ms : null;

        public void Saw(TimeSpan spanOfThree)
        {
            if (spanOfThree < TimeSpan.FromSeconds(1))
            {
                Interlocked.Increment(ref _count);
            }

            var ms = (long)spanOfThree.TotalMilliseconds;
            var closest = Interlocked.Read(ref _closestMs);
            while (ms < closest && Interlocked.CompareExchange(ref _closestMs, ms, closest) is var seen && seen != closest)
            {
                closest = seen;
            }
        }
    }

    public sealed class Latency
    {
        private readonly LongHistogram _histogram = new(HighestMicroseconds, 3);

        public void Record(TimeSpan elapsed)
        {
            lock (_histogram)
            {
                _histogram.RecordValue(Math.Clamp((long)elapsed.TotalMicroseconds, 0, HighestMicroseconds));
            }
        }

        public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

        /// <summary>From a server's wall-clock stamp (same machine, same clock) to now.</summary>
        public void RecordSince(DateTimeOffset stamp) => Record(DateTimeOffset.UtcNow - stamp);

        public LatencySummary Summary()
        {
            lock (_histogram)
            {
                double Ms(double percentile) => _histogram.TotalCount == 0 ? 0 : _histogram.GetValueAtPercentile(percentile) / 1000.0;
                return new LatencySummary(_histogram.TotalCount, Ms(50), Ms(90), Ms(99), Ms(99.9), _histogram.TotalCount == 0 ? 0 : _histogram.GetMaxValue() / 1000.0);
            }
        }
    }

    public sealed record LatencySummary(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs);

    public sealed class ChatLedger
    {
        private readonly object _lock = new();
        private readonly HashSet<long> _customerAcked = [];
        private readonly HashSet<long> _operatorAcked = [];
        private readonly HashSet<long> _customerReceived = [];
        private readonly HashSet<long> _operatorReceived = [];

        public void Acked(bool byCustomer, long sequence)
        {
            lock (_lock)
            {
                (byCustomer ? _customerAcked : _operatorAcked).Add(sequence);
            }
        }

        /// <summary>False when this side already had that message (a duplicate).</summary>
        public bool Received(bool byCustomer, long sequence)
        {
            lock (_lock)
            {
                return (byCustomer ? _customerReceived : _operatorReceived).Add(sequence);
            }
        }

        public long Lost()
        {
            lock (_lock)
            {
                return _operatorAcked.Count(s => !_customerReceived.Contains(s)) + _customerAcked.Count(s => !_operatorReceived.Contains(s));
            }
        }
    }
}
