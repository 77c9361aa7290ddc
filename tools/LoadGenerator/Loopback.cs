using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansSupport.LoadGenerator;

/// <summary>Ports on 127.0.0.1 for the processes the generator starts, and waiting for them to listen.</summary>
public static class Loopback
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task WaitUntilListeningAsync(int port, Process process, TimeSpan timeout, CancellationToken cancel)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < timeout; await Task.Delay(100, cancel))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.StartInfo.FileName} exited with code {process.ExitCode} while starting.");
            }

            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, cancel);
                return;
            }
            catch (SocketException)
            {
            }
        }

        throw new TimeoutException($"Nothing listened on port {port} within {timeout.TotalSeconds:F0} s.");
    }
}
