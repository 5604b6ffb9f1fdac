using Sensing.Core;

namespace Sensing.Activity;

/// <summary>One classified 10 s window: [StartMicros, EndMicros) on the recording's clock, and what was done in it.</summary>
public readonly record struct ActivityWindow(long StartMicros, long EndMicros, ActivityClass Class);
