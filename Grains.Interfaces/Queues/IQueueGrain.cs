namespace OrleansSupport.Queues;

/// <summary>
/// One waiting line per language (key: the language code, e.g. "en"). Holds the customers in the order
/// they are served: by the time they started waiting, first come first served.
/// </summary>
[Alias("OrleansSupport.Queues.IQueueGrain")]
public interface IQueueGrain : IGrainWithStringKey
{
    /// <summary>Adds the customer (or finds them already there) and returns their place.</summary>
    [Alias("Enqueue")]
    Task<QueuePlace> Enqueue(Guid sessionId, DateTimeOffset waitingSince);

    /// <summary>Removes the customer at once; false when they were not waiting here.</summary>
    /// <param name="abandoned">The customer gave up (counted on the dashboard), rather than moved queues.</param>
    [Alias("Leave")]
    Task<bool> Leave(Guid sessionId, bool abandoned = false);

    /// <summary>Live numbers and the last hour, minute by minute, for supervisors.</summary>
    [Alias("GetStats")]
    Task<QueueStats> GetStats();

    /// <summary>The customer who has waited longest, without taking them.</summary>
    [Alias("PeekOldest")]
    Task<QueuedCustomer?> PeekOldest();

    /// <summary>Takes the customer at the head of the line; each customer is handed out once.</summary>
    [Alias("DequeueNext")]
    Task<QueuedCustomer?> DequeueNext();

    /// <summary>Puts a customer back in their place by waiting time (an assignment that did not complete).</summary>
    [Alias("Return")]
    Task Return(QueuedCustomer customer);

    /// <summary>Puts a customer in front of everyone waiting (their operator dropped them).</summary>
    [Alias("ReturnToHead")]
    Task<QueuePlace> ReturnToHead(Guid sessionId);

    [Alias("GetPlace")]
    Task<QueuePlace?> GetPlace(Guid sessionId);

    /// <summary>The whole order, for a frontend that builds or repairs its replica of the line.</summary>
    [Alias("GetSnapshot")]
    Task<QueueSnapshot> GetSnapshot();

    /// <summary>An operator with free capacity asks to be told when someone starts waiting.</summary>
    [Alias("RegisterIdleOperator")]
    Task RegisterIdleOperator(string operatorId);
}
