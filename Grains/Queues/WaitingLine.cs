namespace OrleansSupport.Queues;

/// <summary>
/// The in-memory order of one queue: by waiting time, ties in arrival order. A customer who comes back
/// with an earlier waiting time (an assignment that failed, a transfer) goes back to their place.
/// </summary>
public sealed class WaitingLine
{
    private readonly List<QueuedCustomer> _order;

    public WaitingLine(IEnumerable<QueuedCustomer> order) => _order = [.. order];

    public int Count => _order.Count;

    public IReadOnlyList<QueuedCustomer> Order => _order;

    /// <summary>The 0-based index of the customer, or -1.</summary>
    public int IndexOf(Guid sessionId)
    {
        for (var i = 0; i < _order.Count; i++)
        {
            if (_order[i].SessionId == sessionId)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Inserts after everyone who has waited as long or longer; returns the index.</summary>
    public int Insert(QueuedCustomer customer)
    {
        // Most arrivals have the latest time: check the tail before searching.
        var index = _order.Count;
        if (index > 0 && _order[index - 1].WaitingSince > customer.WaitingSince)
        {
            index = UpperBound(customer.WaitingSince);
        }

        _order.Insert(index, customer);
        return index;
    }

    public QueuedCustomer RemoveAt(int index)
    {
        var customer = _order[index];
        _order.RemoveAt(index);
        return customer;
    }

    private int UpperBound(DateTimeOffset waitingSince)
    {
        int low = 0, high = _order.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_order[mid].WaitingSince <= waitingSince)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
