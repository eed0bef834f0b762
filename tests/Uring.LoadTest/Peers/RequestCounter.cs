namespace Uring.LoadTest.Peers;

/// <summary>
/// Counts complete HTTP requests (header blocks ending in CRLF CRLF) across reads, carrying a
/// terminator split between reads. Enough for wrk's GETs; the host's HTTP service also skips
/// bodies, these minimal peers do not.
/// </summary>
internal struct RequestCounter
{
    private int _matched; // how much of "\r\n\r\n" the previous bytes ended with

    public int Count(ReadOnlySpan<byte> data)
    {
        var requests = 0;
        foreach (var b in data)
        {
            _matched = b switch
            {
                (byte)'\r' => _matched is 0 or 2 ? _matched + 1 : 1,
                (byte)'\n' when _matched is 1 or 3 => _matched + 1,
                _ => 0,
            };
            if (_matched == 4)
            {
                requests++;
                _matched = 0;
            }
        }

        return requests;
    }
}
