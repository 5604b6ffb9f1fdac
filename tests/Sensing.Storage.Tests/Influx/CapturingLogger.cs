using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sensing.Storage.Tests.Influx;

/// <summary>Keeps every log event (id, level, formatted message) so tests can check what the writer recorded.</summary>
internal sealed class CapturingLogger : ILogger
{
    public ConcurrentQueue<(int Id, LogLevel Level, string Message)> Events { get; } = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => Events.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
}
