namespace Sensing.Activity.Features;

/// <summary>Order statistics by selection (Hoare's quickselect), without sorting the whole window.</summary>
/// <remarks>
/// Quantiles use the "nearest rank below" definition <c>sorted[floor(q * (n - 1))]</c>; the reference in the tests
/// is a full sort. Selections go middle level first, so each later one works on the part left or right of an earlier one.
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
        for (var q = 1; q < levels.Length; q++)
        {
            if (levels[q] < levels[q - 1])
            {
                throw new ArgumentException("Quantile levels must be increasing.", nameof(levels));
            }
        }

        SelectRange(values, levels, result, 0, levels.Length - 1, 0, n - 1);
    }

    /// <summary>
    /// Selects the middle level of <c>levels[first..last]</c> within <c>values[lo..hi]</c>, then the lower levels left
    /// of it and the upper ones right of it: each later selection works on a part that the earlier ones have already
    /// halved (the median first), about three fifths of the work of selecting five levels from left to right.
    /// </summary>
    private static void SelectRange(Span<float> values, ReadOnlySpan<float> levels, Span<float> result, int first, int last, int lo, int hi)
    {
        if (first > last)
        {
            return;
        }

        var middle = first + ((last - first) / 2);
        var rank = (int)Math.Floor(levels[middle] * (values.Length - 1));
        result[middle] = SelectRank(values, lo, hi, rank);
        SelectRange(values, levels, result, first, middle - 1, lo, rank);
        SelectRange(values, levels, result, middle + 1, last, rank, hi);
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
