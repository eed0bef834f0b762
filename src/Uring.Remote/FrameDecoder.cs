using System.Buffers.Binary;

namespace Uring.Remote;

/// <summary>
/// Cuts a connection's byte stream into frames: a 4-byte little-endian length, then that many bytes
/// (DotNetty's framing, <c>byte-order = little-endian</c>). Bytes of a frame that has not fully
/// arrived are kept, across any number of reads. A length beyond the limit — or negative, which is
/// garbage — is an error, reported before anything of that frame is kept: a peer cannot make this
/// buffer grow past one frame.
/// </summary>
internal sealed class FrameDecoder(int maximumFrameSize)
{
    private const int PrefixLength = 4;

    private byte[] _pending = [];
    private int _count;

    /// <summary>Bytes kept for a frame that has not fully arrived.</summary>
    internal int Pending => _count;

    /// <summary>Adds <paramref name="bytes"/> and hands every complete frame to <paramref name="frame"/>, in order; null, or why the stream is not frames.</summary>
    internal string? Feed(ReadOnlySpan<byte> bytes, Action<byte[]> frame)
    {
        while (bytes.Length > 0)
        {
            if (_count < PrefixLength)
            {
                var take = Math.Min(PrefixLength - _count, bytes.Length);
                Keep(bytes[..take], PrefixLength);
                bytes = bytes[take..];
                if (_count < PrefixLength)
                {
                    return null;
                }
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(_pending);
            if (length < 0 || length > maximumFrameSize)
            {
                return $"a frame of {(uint)length} bytes was announced; maximum-frame-size is {maximumFrameSize} bytes";
            }

            var missing = PrefixLength + length - _count;
            var available = Math.Min(missing, bytes.Length);
            if (_count == PrefixLength && available == length)
            {
                frame(bytes[..length].ToArray()); // the whole frame in this read: one copy, straight out
            }
            else
            {
                Keep(bytes[..available], PrefixLength + length);
                if (_count < PrefixLength + length)
                {
                    return null;
                }

                frame(_pending.AsSpan(PrefixLength, length).ToArray());
            }

            bytes = bytes[available..];
            _count = 0;
        }

        return null;
    }

    /// <summary>Appends <paramref name="bytes"/> to the kept ones, growing the buffer up to <paramref name="frameLength"/>.</summary>
    private void Keep(ReadOnlySpan<byte> bytes, int frameLength)
    {
        if (_count + bytes.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(frameLength, PrefixLength));
        }

        bytes.CopyTo(_pending.AsSpan(_count));
        _count += bytes.Length;
    }
}
