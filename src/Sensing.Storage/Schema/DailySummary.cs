namespace Sensing.Storage.Schema;

/// <summary>One patient-local day: measurement <c>daily</c>, time = the local midnight that starts the day, as an instant.</summary>
/// <param name="LocalMidnight">Start of the patient's local day (e.g. 2025-03-30T00:00+01:00).</param>
/// <param name="Steps">Steps in the day (field <c>steps</c>, integer).</param>
/// <param name="WearMinutes">Minutes worn (field <c>wear_min</c>, integer).</param>
/// <param name="ActiveMinutes">Non-sedentary minutes (field <c>active_min</c>, integer).</param>
/// <param name="SedentaryMinutes">Sedentary minutes while worn (field <c>sedentary_min</c>, integer).</param>
public readonly record struct DailySummary(
    DateTimeOffset LocalMidnight, int Steps, int WearMinutes, int ActiveMinutes, int SedentaryMinutes);
