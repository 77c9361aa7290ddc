using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace OrleansSupport.WebFrontend;

/// <summary>The HTTP status of an exception that escaped an endpoint: 503 when the silos are out of reach.</summary>
public static class ClusterFailures
{
    public static int StatusCodeOf(Exception exception) => exception switch
    {
        SiloUnavailableException or ConnectionFailedException or OrleansMessageRejectionException or TimeoutException
            => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
