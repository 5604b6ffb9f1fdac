namespace Sensing.Storage.Schema;

/// <summary>A stretch of wear or non-wear: measurement <c>wear</c>, time = start of the interval.</summary>
/// <param name="Start">Start of the interval.</param>
/// <param name="Worn">True when worn (field <c>worn</c>, boolean).</param>
/// <param name="Duration">Length of the interval (field <c>duration_s</c>, integer seconds).</param>
public readonly record struct WearInterval(DateTimeOffset Start, bool Worn, TimeSpan Duration);
