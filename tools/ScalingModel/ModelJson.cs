using System.Text.Json;
using System.Text.Json.Serialization;

namespace OrleansSupport.ScalingModel;

/// <summary>How the model reads its files and writes <c>--json</c>.</summary>
public static class ModelJson
{
    /// <summary>Strict: a misspelt or missing entry fails the load instead of counting as zero.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    public static T Read<T>(string path) =>
        JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) ?? throw new InvalidDataException($"{path} holds no value.");
}
