namespace Sensing.Cli.Evaluation;

/// <summary>Detection scoring: counted steps matched one-to-one to true steps within a tolerance, in time order.</summary>
internal static class StepMatching
{
    public static (int TruePositives, int FalsePositives, int FalseNegatives) Match(IReadOnlyList<long> truth, IReadOnlyList<long> detected, long toleranceMicros)
    {
        int i = 0, j = 0, matched = 0;
        while (i < truth.Count && j < detected.Count)
        {
            var difference = detected[j] - truth[i];
            if (Math.Abs(difference) <= toleranceMicros)
            {
                matched++;
                i++;
                j++;
            }
            else if (difference < 0)
            {
                j++;
            }
            else
            {
                i++;
            }
        }

        return (matched, detected.Count - matched, truth.Count - matched);
    }

    public static double F1(int tp, int fp, int fn) => tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
}
