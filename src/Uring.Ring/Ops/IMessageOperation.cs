namespace Uring.Ops;

/// <summary>An operation driven by a <c>msghdr</c> (sendmsg and its zero-copy twin), so one submission path builds either.</summary>
internal interface IMessageOperation<TSelf> : IRingOperation
    where TSelf : struct, IMessageOperation<TSelf>
{
    static abstract TSelf Create(int fd, ulong messageHeader, MessageFlags flags);
}
