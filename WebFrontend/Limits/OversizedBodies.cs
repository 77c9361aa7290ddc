using Microsoft.AspNetCore.Http.Features;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// A request that declares a body over <see cref="FrontendApp.MaxRequestBodyBytes"/> gets 413 with a problem
/// body from every path, before any endpoint runs. The body is read to its end first (up to
/// <see cref="ReadToEndUpTo"/>): a server that answers and closes while the client is still sending resets
/// the connection, and on Linux the reset discards the answer before the client reads it. Endpoints that
/// never read a body (a 401, a 405, /metrics) answered that way, so the client saw no answer at all.
/// A body declared longer still is answered at once and the connection closed; the client may then see the reset.
/// A chunked body (no declared length) is read and counted here, with the same answer.
/// </summary>
public static class OversizedBodies
{
    public const long ReadToEndUpTo = 16 * 1024 * 1024;

    public static IApplicationBuilder UseOversizedBodyRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (IsChunked(context.Request))
        {
            await ReadChunkedAsync(context, next);
            return;
        }

        if (context.Request.ContentLength is not { } declared || declared <= FrontendApp.MaxRequestBodyBytes)
        {
            await next();
            return;
        }

        if (declared <= ReadToEndUpTo && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = ReadToEndUpTo;
            try
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            }
            catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
            {
                return; // the client went away or sent less than it declared: no one to answer
            }
        }
        else
        {
            context.Response.Headers.Connection = "close";
        }

        await RefuseAsync(context);
    });

    /// <summary>A body sent in chunks declares no length; the hubs' own transports are left to SignalR.</summary>
    private static bool IsChunked(HttpRequest request) =>
        request.ContentLength is null && request.Headers.TransferEncoding.Count > 0 && !request.Path.StartsWithSegments("/hubs");

    /// <summary>
    /// Reads a chunked body here, to its end (up to <see cref="ReadToEndUpTo"/>), keeping at most the limit:
    /// one over the limit gets the same 413 as a declared one, instead of the 400 "cannot read the body"
    /// that JSON binding would answer when the server's own limit cuts it off.
    /// </summary>
    private static async Task ReadChunkedAsync(HttpContext context, Func<Task> next)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = ReadToEndUpTo;
        }

        var kept = new MemoryStream();
        var chunk = new byte[16 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                total += read;
                if (total <= FrontendApp.MaxRequestBodyBytes)
                {
                    kept.Write(chunk, 0, read);
                }
            }
        }
        catch (BadHttpRequestException)
        {
            context.Response.Headers.Connection = "close"; // longer than even ReadToEndUpTo
            await RefuseAsync(context);
            return;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            return; // the client went away: no one to answer
        }

        if (total > FrontendApp.MaxRequestBodyBytes)
        {
            await RefuseAsync(context);
            return;
        }

        kept.Position = 0;
        context.Request.Body = kept;
        await next();
    }

    private static Task RefuseAsync(HttpContext context) =>
        Results.Problem(
            $"Request bodies are limited to {FrontendApp.MaxRequestBodyBytes / 1024} KB.",
            statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
}
