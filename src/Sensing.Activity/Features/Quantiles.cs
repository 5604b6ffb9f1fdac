using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Sensing.Activity.Features;

/// <summary>
/// Order statistics of a window: by a vector sorting network where it fits (<see cref="SortingNetwork"/>, a 10 s window
/// of 125 points), else by selection (quickselect with branch-free partitions), without sorting the whole window.
/// </summary>
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
    /// <param name="allowVectors">False always selects (tests hold the sorting network to it).</param>
    public static void Select(Span<float> values, ReadOnlySpan<float> levels, Span<float> result, bool allowVectors = true)
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

        if (allowVectors && SortingNetwork.TrySelect(values, levels, result))
        {
            return;
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

    /// <summary>The element of rank <paramref name="k"/> within [lo, hi]; afterwards everything left of k is not larger and everything right of it not smaller.</summary>
    /// <remarks>
    /// Branch-free partitions (every element is swapped, the boundary moves by the comparison's 0 or 1): on a still
    /// wrist's window, which is sensor noise, a comparison's outcome cannot be predicted, and the branching form spent
    /// most of its time on mispredictions, about six times as long as on a walking window. Two passes per level, below
    /// the pivot and then equal to it, so that a window of few distinct values (the sensor's 1/64 g steps) stops as soon
    /// as the rank falls among the values equal to the pivot.
    /// </remarks>
    private static float SelectRank(Span<float> a, int lo, int hi, int k)
    {
        ref var first = ref MemoryMarshal.GetReference(a);
        while (lo < hi)
        {
            // Median of three keeps sorted windows from the quadratic worst case.
            var pivot = MedianOfThree(a[lo], a[lo + ((hi - lo) / 2)], a[hi]);
            var below = Partition(ref first, lo, hi, pivot, orEqual: false);
            if (k < below)
            {
                hi = below - 1;
                continue;
            }

            // Now a[lo..below-1] < pivot, a[below..notAbove-1] == pivot, a[notAbove..hi] > pivot.
            var notAbove = Partition(ref first, below, hi, pivot, orEqual: true);
            if (k >= notAbove)
            {
                lo = notAbove;
            }
            else
            {
                return pivot;
            }
        }

        return a[k];
    }

    /// <summary>Moves the elements of [lo, hi] that are below (or, with <paramref name="orEqual"/>, not above) the pivot to the front; returns where the rest begins.</summary>
    private static int Partition(ref float first, int lo, int hi, float pivot, bool orEqual)
    {
        var store = lo;
        for (var i = lo; i <= hi; i++)
        {
            // Elements in [store, i) fail the test, so swapping a[i] with a[store] keeps that true whichever way the test goes.
            var v = Unsafe.Add(ref first, i);
            var pass = orEqual ? v <= pivot : v < pivot;
            Unsafe.Add(ref first, i) = Unsafe.Add(ref first, store);
            Unsafe.Add(ref first, store) = v;
            store += pass ? 1 : 0;
        }

        return store;
    }

    private static float MedianOfThree(float a, float b, float c)
        => a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
}
