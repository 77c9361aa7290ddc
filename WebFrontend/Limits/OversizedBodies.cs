using Microsoft.AspNetCore.Http.Features;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// A request that declares a body over <see cref="FrontendApp.MaxRequestBodyBytes"/> gets 413 with a problem
/// body from every path, before any endpoint runs. The body is read to its end first (up to
/// <see cref="ReadToEndUpTo"/>): a server that answers and closes while the client is still sending resets
/// the connection, and on Linux the reset discards the answer before the client reads it. Endpoints that
/// never read a body (a 401, a 405, /metrics) answered that way, so the client saw no answer at all.
/// A body declared longer still is answered at once and the connection closed; the client may then see the reset.
/// </summary>
public static class OversizedBodies
{
    public const long ReadToEndUpTo = 16 * 1024 * 1024;

    public static IApplicationBuilder UseOversizedBodyRefusal(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
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

        await Results.Problem(
            $"Request bodies are limited to {FrontendApp.MaxRequestBodyBytes / 1024} KB.",
            statusCode: StatusCodes.Status413PayloadTooLarge).ExecuteAsync(context);
    });
}
