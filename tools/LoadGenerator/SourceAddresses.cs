using System.Net;
using System.Net.Sockets;

namespace OrleansSupport.LoadGenerator;

/// <summary>
/// Opens the simulated customers' connections from many loopback addresses (127.1.0.1 and up), as real
/// customers come from many addresses, instead of all from 127.0.0.1. Linux gives each outgoing connection
/// to one server address and port its own local port, trying even ports first: once ~14,000 connections to
/// the frontend held the even ones, every further connect searched all of them in the kernel, and the
/// generator spent ~7 s at a full core while the surge (P6) ramp stalled at ~14,500 connections. From
/// another source address the first port tried is free.
/// </summary>
public static class SourceAddresses
{
    /// <summary>Connections per source address: well below the ~14,000 even ports of the default range.</summary>
    private const int PerAddress = 1_000;

    /// <summary>Linux's IP_BIND_ADDRESS_NO_PORT: bind the address now, choose the port at connect, by the whole 4-tuple.</summary>
    private const int BindAddressNoPort = 24;

    private static long _opened;

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/>: loopback targets get a spread source address.</summary>
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancel)
    {
        var target = context.DnsEndPoint;
        var spread = OperatingSystem.IsLinux() && IPAddress.TryParse(target.Host, out var address)
            && address.AddressFamily == AddressFamily.InterNetwork && IPAddress.IsLoopback(address);
        var socket = spread
            ? new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            if (spread)
            {
                socket.SetRawSocketOption((int)SocketOptionLevel.IP, BindAddressNoPort, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(Next(), 0));
            }

            await socket.ConnectAsync(target, cancel);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>127.1.0.1, 127.1.0.2, ... each for <see cref="PerAddress"/> connections in turn.</summary>
    private static IPAddress Next()
    {
        var block = Interlocked.Increment(ref _opened) / PerAddress;
        return new IPAddress([127, 1, (byte)(block / 250), (byte)(block % 250 + 1)]);
    }
}
