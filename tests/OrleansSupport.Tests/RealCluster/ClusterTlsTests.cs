using System.Net;
using Orleans.Connections.Security;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>
/// In cluster mode the silos' ports take only peers holding a certificate of the cluster's authority: the
/// cluster's own frontends and clients work, anyone else (no TLS, TLS without a certificate, a certificate
/// of another authority) is refused before any grain call.
/// </summary>
[Collection(RealClusterCollection.Name)]
public sealed class ClusterTlsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Only_a_client_with_a_certificate_of_the_clusters_authority_reaches_the_gateway()
    {
        await using var cluster = new LocalCluster(await postgres.CreateDatabaseAsync());
        await cluster.StartSiloAsync();
        await cluster.StartSiloAsync(); // the two silos reach each other over TLS as well
        var frontend = await cluster.StartFrontendAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.Async(async () => (await http.GetAsync(new Uri(frontend, "/health"))).StatusCode, s => s == HttpStatusCode.OK, timeoutSeconds: 30);

        var member = await cluster.ConnectClientAsync();
        var customer = await TestCustomer.QueuedAsync(member);
        Assert.Equal(1, (await member.GetGrain<IQueueGrain>("en").GetStats()).Waiting);

        using var stranger = ClusterCertificates.Make("tests");
        Action<IClientBuilder>[] refused =
        [
            _ => { }, // plain TCP, as an attacker's Orleans client would come
            c => c.UseTls(o =>
            {
                o.ClientCertificateMode = RemoteCertificateMode.AllowCertificate; // TLS, but no certificate
                o.AllowAnyRemoteCertificate();
            }),
            c => c.UseTls(stranger.TlsOf("tests").Apply), // a certificate of another authority
        ];
        foreach (var tls in refused)
        {
            // One attempt each: Orleans' default retries a refused client for about 3 minutes.
            var error = await Assert.ThrowsAnyAsync<Exception>(() => cluster.ConnectClientAsync(c =>
            {
                tls(c);
                c.UseConnectionRetryFilter((_, _) => Task.FromResult(false));
            }));
            Assert.IsType<Orleans.Runtime.Messaging.ConnectionFailedException>(error);
        }

        // Nothing of theirs got in, and the cluster's own client is still served.
        Assert.Equal(1, (await member.GetGrain<IQueueGrain>("en").GetStats()).Waiting);
        await customer.Grain.EndByCustomer(customer.Secret);
        Assert.Contains("Authentication failed", cluster.Logs, StringComparison.OrdinalIgnoreCase);
    }
}
