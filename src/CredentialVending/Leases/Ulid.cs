using System.Security.Cryptography;

namespace CredentialVending.Leases;

/// <summary>
/// ULIDs (26 characters of Crockford base32: 48 bits of milliseconds, 80 random bits): the lease id and the STS
/// session name, so leases sort by time and CloudTrail's assumed-role ARN names the lease.
/// </summary>
public static class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = now.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        return Encode(bytes);
    }

    public static bool IsValid(string value) =>
        value.Length == 26 && value[0] <= '7' && value.All(c => Alphabet.Contains(c, StringComparison.Ordinal));

    /// <summary>The smallest ULID of a given millisecond: a bound for time-range queries on the lease id.</summary>
    public static string MinAt(DateTimeOffset time) => Bound(time, 0x00);

    /// <summary>The largest ULID of a given millisecond.</summary>
    public static string MaxAt(DateTimeOffset time) => Bound(time, 0xFF);

    private static string Bound(DateTimeOffset time, byte fill)
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = Math.Max(0, time.ToUnixTimeMilliseconds());
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)(ms & 0xFF);
            ms >>= 8;
        }

        bytes[6..].Fill(fill);
        return Encode(bytes);
    }

    private static string Encode(ReadOnlySpan<byte> bytes)
    {
        // 128 bits as 26 base32 digits, most significant first (the first digit carries 3 bits).
        var high = ((ulong)bytes[0] << 56) | ((ulong)bytes[1] << 48) | ((ulong)bytes[2] << 40) | ((ulong)bytes[3] << 32)
                 | ((ulong)bytes[4] << 24) | ((ulong)bytes[5] << 16) | ((ulong)bytes[6] << 8) | bytes[7];
        var low = ((ulong)bytes[8] << 56) | ((ulong)bytes[9] << 48) | ((ulong)bytes[10] << 40) | ((ulong)bytes[11] << 32)
                | ((ulong)bytes[12] << 24) | ((ulong)bytes[13] << 16) | ((ulong)bytes[14] << 8) | bytes[15];
        var value = new UInt128(high, low);
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
