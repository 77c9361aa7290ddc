using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrleansSupport.Push;

namespace OrleansSupport.ServiceDefaults;

/// <summary>Healthy when a grain of the cluster answers within two seconds: the frontend can serve.</summary>
public sealed class ClusterReachableHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IFrontendDirectoryGrain>(0).GetLive().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The Orleans cluster does not answer.");
        }
    }
}
