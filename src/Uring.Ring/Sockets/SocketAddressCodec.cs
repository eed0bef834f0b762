using System.Net;
using System.Net.Sockets;

namespace Uring;

/// <summary>
/// Converts <see cref="EndPoint"/>s to and from the kernel's <c>sockaddr</c> bytes: IPv4, IPv6 and
/// Unix-domain. On Linux <see cref="SocketAddress"/> already holds the native layout, so .NET's own
/// serialisation does the work.
/// </summary>
internal static class SocketAddressCodec
{
    private const ushort AfUnix = 1;
    private const ushort AfInet = 2;
    private const ushort AfInet6 = 10;

    private static readonly IPEndPoint V4Template = new(IPAddress.Any, 0);
    private static readonly IPEndPoint V6Template = new(IPAddress.IPv6Any, 0);
    private static readonly UnixDomainSocketEndPoint UnixTemplate = new("template");

    /// <summary>Writes <paramref name="endPoint"/> into <paramref name="destination"/> and returns its length.</summary>
    /// <exception cref="ArgumentException">The address family is not IPv4, IPv6 or Unix, or the end point needs resolving first.</exception>
    internal static int Encode(EndPoint endPoint, Span<byte> destination, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(endPoint, parameterName);
        if (endPoint is DnsEndPoint)
        {
            throw new ArgumentException($"{endPoint} is a host name; resolve it to an IPEndPoint first (Dns.GetHostAddressesAsync).", parameterName);
        }

        if (endPoint.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6 or AddressFamily.Unix))
        {
            throw new ArgumentException($"Address family {endPoint.AddressFamily} is not supported; use an IPv4, IPv6 or Unix-domain end point.", parameterName);
        }

        var address = endPoint.Serialize();
        if (address.Size > destination.Length)
        {
            throw new ArgumentException($"{endPoint} needs {address.Size} bytes, more than a sockaddr_storage holds.", parameterName);
        }

        address.Buffer.Span[..address.Size].CopyTo(destination);
        return address.Size;
    }

    /// <summary>Reads a sockaddr the kernel wrote; null for an unnamed or unknown address.</summary>
    internal static EndPoint? Decode(ReadOnlySpan<byte> sockaddr)
    {
        if (sockaddr.Length <= 2)
        {
            return null; // only the family: an unnamed Unix-domain socket
        }

        var (family, template) = BitConverter.ToUInt16(sockaddr) switch
        {
            AfInet => (AddressFamily.InterNetwork, (EndPoint)V4Template),
            AfInet6 => (AddressFamily.InterNetworkV6, V6Template),
            AfUnix => (AddressFamily.Unix, UnixTemplate),
            _ => (AddressFamily.Unknown, null!),
        };
        if (template is null)
        {
            return null;
        }

        var address = new SocketAddress(family, sockaddr.Length);
        sockaddr.CopyTo(address.Buffer.Span);
        return template.Create(address);
    }
}
