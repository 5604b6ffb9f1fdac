namespace Sensing.Activity;

/// <summary>
/// A stream's 10 s window indexes as 4-byte offsets from its first window, for state held per window for up to an
/// hour (half the bytes of an index; 2^31 windows of 10 s are centuries). A mutable struct: keep it in a non-readonly field.
/// </summary>
internal struct WindowOffsets
{
    private long _base;
    private bool _started;

    /// <summary>The offset of <paramref name="index"/>; the first index seen becomes offset 0.</summary>
    /// <exception cref="InvalidOperationException">The index lies 2^31 windows or more after the first.</exception>
    public int Of(long index)
    {
        if (!_started)
        {
            (_base, _started) = (index, true);
        }

        var offset = index - _base;
        return offset <= int.MaxValue
            ? (int)offset
            : throw new InvalidOperationException($"Window {index} is more than 2^31 windows after the stream's first, {_base}.");
    }

    /// <summary>The index an offset from <see cref="Of"/> stands for.</summary>
    public readonly long IndexOf(int offset) => _base + offset;
}
