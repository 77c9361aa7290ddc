using OrleansSupport.Push;

namespace OrleansSupport.Tests;

/// <summary>
/// A frontend that holds no connection, listed in the frontend directory like a real one (renewed every
/// 5 s, as the directory forgets one after 20 s): it records every
/// push batch the silos hand it, so a test can tell which pushes reach a frontend that has nobody to give them to.
/// </summary>
public sealed class SpyFrontend : IFrontendObserver, IAsyncDisposable
{
    private readonly List<PushBatch> _batches = [];
    private readonly IClusterClient _client;
    private readonly string _id = $"spy-{Guid.NewGuid():N}";
    private IFrontendObserver _reference = null!;
    private Timer? _renewal;

    private SpyFrontend(IClusterClient client) => _client = client;

    public static async Task<SpyFrontend> RegisterAsync(IClusterClient client)
    {
        var spy = new SpyFrontend(client);
        spy._reference = client.CreateObjectReference<IFrontendObserver>(spy);
        await spy.RegisterAsync();
        spy._renewal = new Timer(_ => _ = spy.RegisterAsync(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        return spy;
    }

    private Task RegisterAsync() => _client.GetGrain<IFrontendDirectoryGrain>(0).Register(_id, _reference);

    public SessionEvent[] SessionEvents()
    {
        lock (_batches)
        {
            return [.. _batches.SelectMany(b => b.SessionEvents)];
        }
    }

    public OperatorEvent[] OperatorEvents()
    {
        lock (_batches)
        {
            return [.. _batches.SelectMany(b => b.OperatorEvents)];
        }
    }

    public Task Deliver(PushBatch batch)
    {
        lock (_batches)
        {
            _batches.Add(batch);
        }

        return Task.CompletedTask;
    }

    public Task<Guid[]> WhichAreConnected(Guid[] sessionIds) => Task.FromResult(Array.Empty<Guid>());

    public async ValueTask DisposeAsync()
    {
        await _renewal!.DisposeAsync();
        await _client.GetGrain<IFrontendDirectoryGrain>(0).Unregister(_id);
        _client.DeleteObjectReference<IFrontendObserver>(_reference);
    }
}
