namespace Uring.Host.Services;

/// <summary>Why the HTTP service refuses a request instead of answering it; every refusal closes the connection.</summary>
internal enum HttpRefusal
{
    /// <summary>Not refused: answered with the fixed response.</summary>
    None,

    /// <summary>A malformed request line, header field or <c>Content-Length</c>, or both <c>Transfer-Encoding</c> and <c>Content-Length</c>: 400.</summary>
    BadRequest,

    /// <summary>A <c>Transfer-Encoding</c>, which the service does not decode: 501.</summary>
    NotImplemented,

    /// <summary>A request head that did not complete within the header timeout: 408.</summary>
    RequestTimeout,

    /// <summary>A request head over the size limit: 431.</summary>
    HeaderFieldsTooLarge,
}
