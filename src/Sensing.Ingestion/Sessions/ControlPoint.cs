using System.Threading.Channels;
using Sensing.Protocol.Control;
using Sensing.Protocol.Link;

namespace Sensing.Ingestion.Sessions;

/// <summary>
/// Requests on one connection's Control Point: write with response, then the response indication, one request at a
/// time (ATT allows one outstanding); events that arrive meanwhile are queued for the session (README §5).
/// </summary>
internal sealed class ControlPoint(IGattLink link, ChannelReader<ControlMessage> indications, TimeSpan timeout, TimeProvider time) : IDisposable
{
    private readonly Queue<ControlMessage> _events = new();
    private CancellationTokenSource _idle = new(Timeout.InfiniteTimeSpan, time); // reused while events come; renewed after a timeout

    /// <inheritdoc />
    public void Dispose() => _idle.Dispose();

    /// <summary>Events received and not yet taken.</summary>
    public bool TryTakeEvent(out ControlMessage message) => _events.TryDequeue(out message);

    /// <summary>Sends a request and returns its response.</summary>
    /// <exception cref="SessionFaultException">No response in time, or a response to another request.</exception>
    /// <exception cref="GattLinkException">The link failed.</exception>
    public async Task<ControlMessage> RequestAsync(byte[] request, CancellationToken cancellationToken)
    {
        var opcode = (ControlOpcode)request[0];
        await link.WriteAsync(WristbandUuids.ControlPoint, request, cancellationToken).ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            while (true)
            {
                var message = await indications.ReadAsync(linked.Token).ConfigureAwait(false);
                if (!message.IsResponse)
                {
                    if (message.Event != ControlEventCode.None)
                    {
                        _events.Enqueue(message);
                    }

                    continue;
                }

                if (message.Opcode != opcode)
                {
                    throw new SessionFaultException(SessionFaultKind.ProtocolViolation, $"the band answered {opcode} with a response to {message.Opcode}");
                }

                return message;
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new SessionFaultException(SessionFaultKind.NoResponse, $"no response to {opcode} within {timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// Waits up to <paramref name="wait"/> for an event or a wake-up (a message with no event, which the
    /// session's frame reader sends when the stream needs attention); true when one came.
    /// </summary>
    /// <exception cref="SessionFaultException">A response arrived that no request asked for.</exception>
    public async Task<bool> WaitForEventAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_events.Count > 0 || indications.TryPeek(out _))
        {
            return Take();
        }

        if (!_idle.TryReset())
        {
            // The last wait ran out: a cancelled source cannot be reset, so take a new one.
            _idle.Dispose();
            _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        }

        _idle.CancelAfter(wait);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_idle.Token, cancellationToken);
        try
        {
            return await indications.WaitToReadAsync(linked.Token).ConfigureAwait(false)
                ? Take()
                : throw new System.Threading.Channels.ChannelClosedException();
        }
        catch (OperationCanceledException) when (_idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private bool Take()
    {
        while (indications.TryRead(out var message))
        {
            if (message.IsResponse)
            {
                throw new SessionFaultException(SessionFaultKind.ProtocolViolation, $"an unsolicited response to {message.Opcode}");
            }

            if (message.Event != ControlEventCode.None)
            {
                _events.Enqueue(message);
            }
        }

        return true;
    }
}
