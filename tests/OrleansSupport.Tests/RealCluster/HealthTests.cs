using System.Net;
using System.Net.Http.Json;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>Every host answers /alive and /health, as load balancers and process managers expect.</summary>
[Collection(RealClusterCollection.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Silo_and_frontend_answer_alive_health_and_metrics_and_health_fails_without_a_cluster()
    {
        var database = TestClusters.NewDatabasePath();
        try
        {
            await using var cluster = new LocalCluster($"Data Source={database}", postgres: false);
            await cluster.StartSiloAsync();
            var frontend = await cluster.StartFrontendAsync();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

            foreach (var host in new[] { cluster.SiloHealth[0], frontend })
            {
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(host, "/alive"))).StatusCode);
                Assert.Equal("Healthy", await http.GetStringAsync(new Uri(host, "/health")));
            }

            // Metrics for Prometheus: our own next to ASP.NET Core's.
            var client = await cluster.ConnectClientAsync();
            var customer = await TestCustomer.QueuedAsync(client);
            var siloMetrics = await Eventually.Async(() => http.GetStringAsync(new Uri(cluster.SiloHealth[0], "/metrics")), m => m.Contains("support_queue_length"));
            Assert.Matches(@"support_queue_length\{[^}]*language=""en""[^}]*\} 1", siloMetrics);
            Assert.Contains("http_server_request_duration", await http.GetStringAsync(new Uri(frontend, "/metrics")));
            await customer.Grain.EndByCustomer(customer.Secret);

            // The frontend lives on without its silo, but is no longer ready to serve.
            await cluster.Silos[0].KillAsync();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(frontend, "/alive"))).StatusCode);
            await Eventually.Async(async () => (await http.GetAsync(new Uri(frontend, "/health"))).StatusCode, s => s == HttpStatusCode.ServiceUnavailable, timeoutSeconds: 30);

            // An API that needs the silo says so: 503 with a problem body, not an empty 500.
            using var login = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            var refused = await login.PostAsJsonAsync(new Uri(frontend, "/api/account/login"), new { userName = "supervisor", password = "whatever it is" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            TestClusters.DeleteDatabase(database);
        }
    }
}
