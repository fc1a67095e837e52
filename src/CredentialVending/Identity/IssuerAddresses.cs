using System.Net;
using System.Net.Sockets;

namespace CredentialVending.Identity;

/// <summary>
/// Which addresses an https issuer fetch may connect to: public unicast only. A tenant names its own issuer, so
/// without this rule a tenant could make the function fetch from the instance metadata service, the Lambda Runtime
/// API or anything else on the function's network, and learn from the answers.
/// </summary>
public static class IssuerAddresses
{
    // Every range that is not the public internet (IANA special-purpose registries), as (network, prefix length, name).
    private static readonly (IPAddress Network, int Prefix, string Name)[] NotPublic =
    [
        (IPAddress.Parse("0.0.0.0"), 8, "this network"),
        (IPAddress.Parse("10.0.0.0"), 8, "private"),
        (IPAddress.Parse("100.64.0.0"), 10, "shared (CGNAT)"),
        (IPAddress.Parse("127.0.0.0"), 8, "loopback"),
        (IPAddress.Parse("169.254.0.0"), 16, "link-local (the instance metadata address among them)"),
        (IPAddress.Parse("172.16.0.0"), 12, "private"),
        (IPAddress.Parse("192.0.0.0"), 24, "IETF protocol assignments"),
        (IPAddress.Parse("192.0.2.0"), 24, "documentation"),
        (IPAddress.Parse("192.168.0.0"), 16, "private"),
        (IPAddress.Parse("198.18.0.0"), 15, "benchmarking"),
        (IPAddress.Parse("198.51.100.0"), 24, "documentation"),
        (IPAddress.Parse("203.0.113.0"), 24, "documentation"),
        (IPAddress.Parse("224.0.0.0"), 4, "multicast"),
        (IPAddress.Parse("240.0.0.0"), 4, "reserved"),
        (IPAddress.Parse("::"), 96, "unspecified, loopback or IPv4-compatible"),
        (IPAddress.Parse("64:ff9b:1::"), 48, "local-use NAT64"),
        (IPAddress.Parse("100::"), 64, "discard"),
        (IPAddress.Parse("2001::"), 32, "Teredo"),
        (IPAddress.Parse("2001:db8::"), 32, "documentation"),
        (IPAddress.Parse("fc00::"), 7, "unique-local"),
        (IPAddress.Parse("fe80::"), 10, "link-local"),
        (IPAddress.Parse("fec0::"), 10, "site-local"),
        (IPAddress.Parse("ff00::"), 8, "multicast"),
    ];

    /// <summary>Null when <paramref name="address"/> is public; else the kind of range it is in.</summary>
    public static string? NotPublicBecause(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        // Forms that carry an IPv4 address inside an IPv6 one reach that IPv4 address: judge the address they carry.
        if (Embedded(address) is { } inner)
        {
            return NotPublicBecause(inner);
        }

        foreach (var (network, prefix, name) in NotPublic)
        {
            if (network.AddressFamily == address.AddressFamily && InRange(address, network, prefix))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>The IPv4 address of an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address.</summary>
    private static IPAddress? Embedded(IPAddress address)
    {
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return null;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (InRange(address, IPAddress.Parse("64:ff9b::"), 96))
        {
            return new IPAddress(bytes.AsSpan(12, 4));
        }

        return bytes[0] == 0x20 && bytes[1] == 0x02 ? new IPAddress(bytes.AsSpan(2, 4)) : null;
    }

    private static bool InRange(IPAddress address, IPAddress network, int prefix)
    {
        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (n[bit / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
