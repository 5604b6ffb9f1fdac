using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Sensing.Protocol.Control;
using Sensing.Protocol.Link;

namespace Sensing.Ingestion.Sessions;

/// <summary>
/// Requests on one connection's Control Point: write with response, then the response indication, one request at a
/// time (ATT allows one outstanding); events that arrive meanwhile are queued for the session (README §5).
/// </summary>
/// <param name="wake">Puts a wake-up into <paramref name="indications"/>.</param>
internal sealed class ControlPoint(IGattLink link, ChannelReader<ControlMessage> indications, Action wake, TimeSpan timeout, TimeProvider time) : IDisposable
{
    private readonly Queue<ControlMessage> _events = new();
    private readonly ITimer _alarm = time.CreateTimer(static w => ((Action)w!)(), wake, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    /// <inheritdoc />
    public void Dispose() => _alarm.Dispose();

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
    /// session's frame reader sends when the stream needs attention, and the connection's alarm when the wait is up).
    /// </summary>
    /// <remarks>
    /// Every band sleeps here about ten seconds at a time. What such a wait allocates outlives the collector's young
    /// generations and dies in the old one, 10,000 bands over, where only a full collection finds it: so the alarm is
    /// one timer per connection, re-armed, the channel is awaited without a token (its reader's one reusable waiter),
    /// cancellation comes as a wake-up, and the method's state machine is pooled.
    /// </remarks>
    /// <exception cref="SessionFaultException">A response arrived that no request asked for.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WaitForEventAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_events.Count == 0 && !indications.TryPeek(out _))
        {
            _alarm.Change(wait, Timeout.InfiniteTimeSpan);
            bool open;
            using (cancellationToken.UnsafeRegister(static w => ((Action)w!)(), wake))
            {
                open = await indications.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false);
            }

            _alarm.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            cancellationToken.ThrowIfCancellationRequested();
            if (!open)
            {
                throw new System.Threading.Channels.ChannelClosedException();
            }
        }

        Take();
    }

    private void Take()
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
    }
}
