using Sensing.Core;

namespace Sensing.Storage.Schema;

/// <summary>The class of one classifier epoch: measurement <c>epoch</c>, time = start of the epoch.</summary>
/// <param name="Start">Start of the epoch.</param>
/// <param name="Class">The activity class (field <c>class</c>, integer: the <see cref="ActivityClass"/> number).</param>
/// <param name="Confidence">Classifier confidence 0-1 (field <c>confidence</c>, float).</param>
public readonly record struct EpochActivity(DateTimeOffset Start, ActivityClass Class, double Confidence);
