using System.Net;
using System.Net.Sockets;

namespace WdkDriver.Tests;

/// <summary>The local address a stand-in service listens on.</summary>
internal static class LoopbackListener
{
    /// <summary>
    /// Starts <paramref name="listener"/> on a free loopback port and returns its address. HttpListener cannot be asked
    /// for port 0, so a port is found free first; another test can take it in between, so a taken one is tried again.
    /// </summary>
    public static Uri Start(HttpListener listener)
    {
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var address = new Uri($"http://127.0.0.1:{port}/");
            listener.Prefixes.Add(address.AbsoluteUri);
            try
            {
                listener.Start();
                return address;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Prefixes.Clear();
            }
        }
    }
}
