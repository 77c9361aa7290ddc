using OrleansSupport.Push;

namespace OrleansSupport.WebFrontend.Push;

/// <summary>
/// This frontend's <see cref="FrontendObserver"/> as grains address it: listed in the frontend directory,
/// and carried by every grain call this frontend makes (<see cref="CallingFrontend"/>), so the grains that
/// its connections call push to this frontend. Made once, on first use: the Orleans client must be up.
/// </summary>
public sealed class FrontendReference(IClusterClient client, FrontendObserver observer) : IDisposable
{
    private readonly Lazy<IFrontendObserver> _reference = new(() => client.CreateObjectReference<IFrontendObserver>(observer));

    public IFrontendObserver Value => _reference.Value;

    public void Dispose()
    {
        if (_reference.IsValueCreated)
        {
            client.DeleteObjectReference<IFrontendObserver>(_reference.Value);
        }
    }
}

/// <summary>Puts <see cref="FrontendReference"/> into the request context of each grain call this frontend makes.</summary>
/// <remarks>The reference is looked up on first use: the filter is built with the Orleans client, which the reference needs.</remarks>
public sealed class CallingFrontendFilter(IServiceProvider services) : IOutgoingGrainCallFilter
{
    private FrontendReference? _frontend;

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        _frontend ??= services.GetRequiredService<FrontendReference>();
        RequestContext.Set(CallingFrontend.Key, _frontend.Value);
        return context.Invoke();
    }
}
