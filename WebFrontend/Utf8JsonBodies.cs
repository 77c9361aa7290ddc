using Microsoft.Net.Http.Headers;

namespace OrleansSupport.WebFrontend;

/// <summary>
/// Request bodies are UTF-8, as JSON must be (RFC 8259). A request that declares another charset gets 415
/// with a problem body, instead of reaching the JSON reader, which throws on a charset it cannot decode
/// (utf-7, for one) and so answered 500.
/// </summary>
public static class Utf8JsonBodies
{
    public static IApplicationBuilder UseUtf8RequestBodies(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var media) && media.Charset.HasValue && !IsUtf8(media.Charset.Value))
        {
            await Results.Problem("Send request bodies as UTF-8.", statusCode: StatusCodes.Status415UnsupportedMediaType).ExecuteAsync(context);
            return;
        }

        await next();
    });

    private static bool IsUtf8(string? charset) =>
        charset?.Trim('"') is { } name && (name.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || name.Equals("utf8", StringComparison.OrdinalIgnoreCase));
}
