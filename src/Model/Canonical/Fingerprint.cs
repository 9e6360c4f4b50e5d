using System.Buffers.Binary;
using System.Numerics;

namespace Verify.Model;

/// <summary>
/// A 64-bit fingerprint of a canonical encoding: xxHash64-style rounds over 8-byte words and a splitmix64
/// finish, so every input bit affects every output bit. Never 0 (0 marks an empty slot in fingerprint sets).
/// </summary>
public static class Fingerprint
{
    private const ulong P1 = 0x9E3779B185EBCA87UL, P2 = 0xC2B2AE3D27D4EB4FUL, P3 = 0x165667B19E3779F9UL;

    public static ulong Of(ReadOnlySpan<byte> data)
    {
        var h = P3 ^ ((ulong)data.Length * P1);
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
            h = Round(h, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        ulong tail = 0;
        for (var k = 0; i < data.Length; i++, k += 8) tail |= (ulong)data[i] << k;
        h = Round(h, tail);
        h ^= h >> 30; h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 27; h *= 0x94D049BB133111EBUL;
        h ^= h >> 31;
        return h == 0 ? 1 : h;
    }

    private static ulong Round(ulong h, ulong w)
    {
        w *= P2;
        w = BitOperations.RotateLeft(w, 31) * P1;
        h ^= w;
        return BitOperations.RotateLeft(h, 27) * P1 + P3;
    }
}
