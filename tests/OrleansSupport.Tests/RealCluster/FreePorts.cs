using System.Net;
using System.Net.Sockets;

namespace OrleansSupport.Tests.RealCluster;

/// <summary>Ports nobody listens on right now, on loopback, for the processes a test starts.</summary>
public static class FreePorts
{
    public static int Next() => LoadGenerator.Loopback.FreePort();

    public static async Task WaitUntilListeningAsync(int port, TimeSpan timeout, Func<bool> stillAlive, Func<string> log)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (!stillAlive())
            {
                throw new InvalidOperationException($"The process exited before listening on {port}:{Environment.NewLine}{log()}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        throw new TimeoutException($"Nothing listened on port {port} within {timeout.TotalSeconds} s:{Environment.NewLine}{log()}");
    }
}
