using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Sensing.Storage.LineProtocol;

/// <summary>
/// Pre-built name bytes (series prefixes, field keys) kept in a buffer rounded up to whole 16-byte blocks, so the
/// writer copies them with a few vector stores instead of a memmove call per name: the bytes past the name are
/// written too and then overwritten by what follows, which is why callers reserve <see cref="Slack"/> extra bytes.
/// </summary>
internal readonly struct PaddedBytes
{
    /// <summary>Bytes a copy may write past the name's end.</summary>
    public const int Slack = 16;

    private readonly byte[] _blocks;

    public PaddedBytes(ReadOnlySpan<byte> bytes)
    {
        _blocks = new byte[(bytes.Length + 15) & ~15];
        bytes.CopyTo(_blocks);
        Length = bytes.Length;
    }

    /// <summary>The name's length.</summary>
    public int Length { get; }

    /// <summary>The name's bytes.</summary>
    public ReadOnlySpan<byte> Span => _blocks.AsSpan(0, Length);

    /// <summary>Copies the name to the start of <paramref name="destination"/>, which has room for Length + Slack.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < _blocks.Length)
        {
            ThrowTooShort();
        }

        ref byte source = ref MemoryMarshal.GetArrayDataReference(_blocks);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        for (nuint i = 0; i < (nuint)_blocks.Length; i += 16)
        {
            Vector128.LoadUnsafe(ref source, i).StoreUnsafe(ref target, i);
        }
    }

    private static void ThrowTooShort() => throw new ArgumentException("The destination has no room for the padded copy.");
}
