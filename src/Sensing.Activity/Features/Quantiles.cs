namespace Sensing.Activity.Features;

/// <summary>Order statistics by selection (Hoare's quickselect), without sorting the whole window.</summary>
/// <remarks>
/// Quantiles use the "nearest rank below" definition <c>sorted[floor(q * (n - 1))]</c>; the reference in the tests
/// is a full sort. Selections are asked for in increasing order so each works on the part right of the previous.
/// </remarks>
internal static class Quantiles
{
    /// <summary>
    /// Writes the quantiles <paramref name="levels"/> (increasing, in [0, 1]) of <paramref name="values"/> into
    /// <paramref name="result"/>; <paramref name="values"/> is reordered.
    /// </summary>
    public static void Select(Span<float> values, ReadOnlySpan<float> levels, Span<float> result)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("Quantiles of an empty window are undefined.", nameof(values));
        }

        var n = values.Length;
        var left = 0;
        for (var q = 0; q < levels.Length; q++)
        {
            var rank = (int)Math.Floor(levels[q] * (n - 1));
            if (rank < left)
            {
                throw new ArgumentException("Quantile levels must be increasing.", nameof(levels));
            }

            result[q] = SelectRank(values, left, n - 1, rank);
            left = rank;
        }
    }

    /// <summary>The element of rank <paramref name="k"/> within [lo, hi]; afterwards everything left of k is not larger.</summary>
    private static float SelectRank(Span<float> a, int lo, int hi, int k)
    {
        while (lo < hi)
        {
            // Median of three keeps sorted and constant windows (a still wrist) from the quadratic worst case.
            var mid = lo + ((hi - lo) / 2);
            if (a[mid] < a[lo])
            {
                (a[mid], a[lo]) = (a[lo], a[mid]);
            }

            if (a[hi] < a[lo])
            {
                (a[hi], a[lo]) = (a[lo], a[hi]);
            }

            if (a[hi] < a[mid])
            {
                (a[hi], a[mid]) = (a[mid], a[hi]);
            }

            var pivot = a[mid];
            var i = lo;
            var j = hi;
            while (i <= j)
            {
                while (a[i] < pivot)
                {
                    i++;
                }

                while (pivot < a[j])
                {
                    j--;
                }

                if (i <= j)
                {
                    (a[i], a[j]) = (a[j], a[i]);
                    i++;
                    j--;
                }
            }

            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return a[k];
            }
        }

        return a[k];
    }
}
