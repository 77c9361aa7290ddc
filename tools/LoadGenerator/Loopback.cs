using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// Ports on 127.0.0.1 for the processes the generator (and the test suite) starts, and waiting for them to listen.
/// </summary>
public static class Loopback
{
    // Below Linux's ephemeral range (32768-60999 by default): a port picked inside it can be taken by any
    // outgoing connection between picking it and the child process binding it, and a load run or a test
    // suite opens thousands of those.
    private const int FirstPort = 20_000;
    private const int LastPort = 32_767;

    // Handed out but perhaps not bound yet: a second pick must not return the same port.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> HandedOut = new();

    /// <summary>A port nobody listens on now, for a process about to be started.</summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(FirstPort, LastPort + 1);
            if (!HandedOut.TryAdd(port, 0))
            {
                continue;
            }

            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: try another
            }
        }

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until a process this program started listens on <paramref name="port"/>.</summary>
    public static Task WaitUntilListeningAsync(int port, Process process, TimeSpan timeout, CancellationToken cancel) =>
        WaitUntilListeningAsync(
            port, timeout, () => !process.HasExited,
            () => $"{process.StartInfo.FileName} {(process.HasExited ? $"exited with code {process.ExitCode}" : "is still starting")}.", cancel);

    /// <summary>
    /// Waits until something listens on <paramref name="port"/>; fails at once when the process that should
    /// stops, and on time-out, each time with <paramref name="describe"/> (its exit code, its log) in the error.
    /// </summary>
    public static async Task WaitUntilListeningAsync(
        int port, TimeSpan timeout, Func<bool> stillRunning, Func<string> describe, CancellationToken cancel = default)
    {
        for (var waited = Stopwatch.StartNew(); waited.Elapsed < timeout; await Task.Delay(100, cancel))
        {
            if (!stillRunning())
            {
                throw new InvalidOperationException($"The process exited before listening on {port}: {describe()}");
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

        throw new TimeoutException($"Nothing listened on port {port} within {timeout.TotalSeconds:F0} s: {describe()}");
    }
}
