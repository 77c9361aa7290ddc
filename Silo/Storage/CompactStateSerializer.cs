using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OrleansSupport.Queues;
using Orleans.Serialization;
using Orleans.Storage;

namespace OrleansSupport.Silo.Storage;

/// <summary>
/// Grain state in storage as Orleans' binary format, behind a one-byte marker. Orleans' default for
/// ADO.NET storage is Newtonsoft JSON with type names: several times the bytes and the CPU, on the path of
/// every chat message (a session writes its state before a message is acknowledged). State written earlier
/// as JSON is still read.
/// </summary>
public sealed class CompactStateSerializer(Serializer binary, IServiceProvider services) : IGrainStorageSerializer
{
    private const byte BinaryMarker = 0x01; // JSON never starts with it

    private readonly Lazy<IGrainStorageSerializer> _json = new(() => ActivatorUtilities.CreateInstance<JsonGrainStorageSerializer>(services));

    /// <summary>
    /// The same format without a silo, for tools and tests: knows the project's state types and those of
    /// <paramref name="assemblies"/>.
    /// </summary>
    public static CompactStateSerializer CreateStandalone(params Assembly[] assemblies)
    {
        var services = new ServiceCollection()
            .AddSerializer(builder =>
            {
                foreach (var assembly in assemblies.Append(typeof(QueueHeader).Assembly).Append(typeof(QueueMinute).Assembly))
                {
                    builder.AddAssembly(assembly);
                }
            })
            .BuildServiceProvider();
        return new CompactStateSerializer(services.GetRequiredService<Serializer>(), services);
    }

    public BinaryData Serialize<T>(T? input)
    {
        var body = binary.SerializeToArray(input);
        var marked = new byte[body.Length + 1];
        marked[0] = BinaryMarker;
        body.CopyTo(marked, 1);
        return new BinaryData(marked);
    }

    public T Deserialize<T>(BinaryData input)
    {
        var bytes = input.ToMemory();
        return bytes.Length > 0 && bytes.Span[0] == BinaryMarker
            ? binary.Deserialize<T>(bytes[1..])!
            : _json.Value.Deserialize<T>(input)!;
    }
}
