using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Orleans.Connections.Security;

namespace OrleansSupport.ServiceDefaults;

/// <summary>
/// Mutual TLS between the hosts of one cluster ("Cluster:Tls"): every silo and frontend holds a certificate
/// issued by the cluster's own authority and accepts a connection only from a peer that holds one too, on
/// the silo-to-silo port and on the gateway. A peer is known by the authority that signed it, not by a
/// host name: silos reach each other by the IP addresses in the membership table.
/// Cluster mode requires it; the embedded default listens on loopback only and runs without it.
/// </summary>
public sealed class ClusterTls
{
    public const string SectionName = "Cluster:Tls";

    /// <summary>The name a client asks for in the handshake; certificates are checked by authority, not by it.</summary>
    private const string TargetHost = "orleans-support-cluster";

    private readonly X509Certificate2 _node;
    private readonly X509Certificate2 _authority;

    private ClusterTls(X509Certificate2 node, X509Certificate2 authority) => (_node, _authority) = (node, authority);

    /// <summary>
    /// The cluster's TLS settings: PEM files <c>Certificate</c> and <c>Key</c> (this host) and <c>Authority</c>
    /// (the certificate of the cluster's authority). Null when none is set and the host is not in cluster mode.
    /// </summary>
    public static ClusterTls? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        string?[] paths = [section["Certificate"], section["Key"], section["Authority"]];
        var clusterMode = string.Equals(configuration["Cluster:Mode"], "AdoNet", StringComparison.OrdinalIgnoreCase);
        if (paths.All(string.IsNullOrWhiteSpace) && !clusterMode)
        {
            return null;
        }

        if (paths.Any(string.IsNullOrWhiteSpace))
        {
            throw new InvalidOperationException(
                $"{SectionName} needs Certificate, Key and Authority (PEM files){(clusterMode ? "; Cluster:Mode AdoNet requires them, so that only the cluster's own hosts can call its grains" : "")}.");
        }

        var node = Load(() => X509Certificate2.CreateFromPemFile(paths[0]!, paths[1]!), $"{SectionName}:Certificate and :Key");
        var authority = Load(() => X509Certificate2.CreateFromPem(File.ReadAllText(paths[2]!)), $"{SectionName}:Authority");
        var tls = new ClusterTls(node, authority);
        if (!tls.IsIssuedByAuthority(node))
        {
            throw new InvalidOperationException($"{SectionName}:Certificate ({node.Subject}) is not issued by {SectionName}:Authority ({authority.Subject}).");
        }

        return tls;
    }

    /// <summary>Fills Orleans' TLS options, for a silo (both ports, and its calls to other silos) or a client.</summary>
    public void Apply(TlsOptions options)
    {
        options.LocalCertificate = _node;
        options.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
        options.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
        // The policy errors name the host (never ours) and the unknown root (ours is private): the chain to
        // the cluster's authority, checked here, decides instead.
        options.RemoteCertificateValidation = (certificate, _, _) => IsIssuedByAuthority(certificate);
        options.OnAuthenticateAsClient = (_, client) => client.TargetHost = TargetHost;
    }

    private bool IsIssuedByAuthority(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        // A private authority publishes no revocation list: a lost node certificate means a new authority.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawDataMemory.Span.SequenceEqual(_authority.RawDataMemory.Span);
    }

    private static X509Certificate2 Load(Func<X509Certificate2> load, string what)
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException($"{what} could not be read: {ex.Message}", ex);
        }
    }
}
