using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;

namespace OrleansSupport.WebFrontend.Limits;

/// <summary>
/// Limits on this frontend, read from Support:Limits and checked at start. HTTP endpoints opt in with
/// <see cref="RequireSupportLimit"/>; ASP.NET Core's rate-limiting middleware then answers a flood with
/// 429, Retry-After and a ProblemDetails that says what to do. Refusals are counted
/// (support.rate_limited, by limit), never logged one by one: a flood must not flood the logs too.
/// </summary>
public static class HttpLimits
{
    private static readonly Meter Meter = new("OrleansSupport");
    private static readonly Counter<long> Refused =
        Meter.CreateCounter<long>("support.rate_limited", description: "Requests refused by a frontend limit");

    public static IServiceCollection AddSupportLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedSettings<LimitOptions>(configuration, LimitOptions.SectionName);
        services.AddSingleton<SupportLimiters>();
        services.AddSingleton<EndpointLimiter>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<EndpointLimiter>((o, limiter) =>
        {
            o.GlobalLimiter = limiter;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) => WriteRefusalAsync(context);
        });
        return services;
    }

    /// <summary>Limits this endpoint with one of <see cref="SupportLimiters"/>; <paramref name="what"/> starts the refusal.</summary>
    public static TBuilder RequireSupportLimit<TBuilder>(
        this TBuilder endpoint, string name, Func<SupportLimiters, KeyAndAddressLimiter> limiter, string what)
        where TBuilder : IEndpointConventionBuilder =>
        endpoint.WithMetadata(new SupportLimit(name, limiter, what));

    /// <summary>429 with Retry-After and a ProblemDetails: "{what}; please try again in 6 seconds."</summary>
    public static ProblemHttpResult TooManyRequests(HttpContext http, string name, Refusal refusal, string what)
    {
        Count(name);
        http.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            detail: $"{what}; please try again {refusal.WaitText}.",
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            extensions: new Dictionary<string, object?> { ["code"] = "rate-limited", ["retryAfterSeconds"] = refusal.RetryAfterSeconds });
    }

    /// <summary>Counts a refusal made outside HTTP (the hubs).</summary>
    public static void Count(string name) => Refused.Add(1, new KeyValuePair<string, object?>("limit", name));

    private static async ValueTask WriteRefusalAsync(OnRejectedContext context)
    {
        var limit = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<SupportLimit>();
        var refusal = new Refusal(context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1));
        await TooManyRequests(context.HttpContext, limit?.Name ?? "unknown", refusal, limit?.What ?? "Too many requests")
            .ExecuteAsync(context.HttpContext);
    }

    private sealed record SupportLimit(string Name, Func<SupportLimiters, KeyAndAddressLimiter> Limiter, string What);

    /// <summary>The middleware's global limiter: endpoints without a <see cref="SupportLimit"/> pass untouched.</summary>
    private sealed class EndpointLimiter(SupportLimiters limiters) : PartitionedRateLimiter<HttpContext>
    {
        public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

        private static readonly object RefusedKey = new();

        protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
        {
            if (resource.GetEndpoint()?.Metadata.GetMetadata<SupportLimit>() is not { } limit)
            {
                return Lease.Granted;
            }

            var refusal = limit.Limiter(limiters).TryAcquire(ClientIdCookie.Of(resource), resource.Connection.RemoteIpAddress, permitCount);
            if (refusal is null)
            {
                return Lease.Granted;
            }

            resource.Items[RefusedKey] = refusal;
            return new Lease(refusal);
        }

        /// <summary>
        /// The middleware waits here after a refused attempt. Nothing is queued (a queued flood would still
        /// hold connections), so the answer is that same refusal: asking again would take a second permit.
        /// </summary>
        protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(resource.Items.TryGetValue(RefusedKey, out var refused) && refused is Refusal refusal
                ? new Lease(refusal)
                : AttemptAcquireCore(resource, permitCount));
    }

    private sealed class Lease(Refusal? refusal) : RateLimitLease
    {
        public static readonly Lease Granted = new(null);

        public override bool IsAcquired => refusal is null;

        public override IEnumerable<string> MetadataNames => refusal is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = refusal is not null && metadataName == MetadataName.RetryAfter.Name ? refusal.RetryAfter : null;
            return metadata is not null;
        }
    }
}
