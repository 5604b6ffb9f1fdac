using System.Globalization;
using System.Text;

namespace Sensing.Activity.Training;

/// <summary>Confusion matrix and per-class precision, recall and F1 of window predictions under a <see cref="LabelGrouping"/>.</summary>
public sealed class ClassificationReport
{
    private readonly long[,] _confusion;

    /// <summary>Scores (truth, predicted) label pairs.</summary>
    public ClassificationReport(LabelGrouping grouping, IEnumerable<(int Truth, int Predicted)> pairs)
    {
        ArgumentNullException.ThrowIfNull(grouping);
        ArgumentNullException.ThrowIfNull(pairs);
        Grouping = grouping;
        var k = grouping.Groups.Count;
        _confusion = new long[k, k];
        foreach (var (truth, predicted) in pairs)
        {
            _confusion[grouping.GroupOfLabel[truth], grouping.GroupOfLabel[predicted]]++;
        }
    }

    public LabelGrouping Grouping { get; }

    /// <summary>Windows of true group <paramref name="truth"/> predicted as <paramref name="predicted"/>.</summary>
    public long Count(int truth, int predicted) => _confusion[truth, predicted];

    public double Precision(int group)
    {
        long column = 0;
        for (var t = 0; t < Grouping.Groups.Count; t++)
        {
            column += _confusion[t, group];
        }

        return column == 0 ? 0 : (double)_confusion[group, group] / column;
    }

    public double Recall(int group)
    {
        long row = 0;
        for (var p = 0; p < Grouping.Groups.Count; p++)
        {
            row += _confusion[group, p];
        }

        return row == 0 ? 0 : (double)_confusion[group, group] / row;
    }

    public double F1(int group)
    {
        var p = Precision(group);
        var r = Recall(group);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /// <summary>Unweighted mean of F1 over the groups that occur in the truth.</summary>
    public double MacroF1
    {
        get
        {
            var sum = 0.0;
            var present = 0;
            for (var g = 0; g < Grouping.Groups.Count; g++)
            {
                long row = 0;
                for (var p = 0; p < Grouping.Groups.Count; p++)
                {
                    row += _confusion[g, p];
                }

                if (row > 0)
                {
                    sum += F1(g);
                    present++;
                }
            }

            return present == 0 ? 0 : sum / present;
        }
    }

    /// <summary>A plain-text table: per-class P/R/F1 and the confusion matrix (rows truth, columns predicted).</summary>
    public string Format()
    {
        var ci = CultureInfo.InvariantCulture;
        var names = Grouping.Groups;
        var width = Math.Max(10, names.Max(n => n.Length) + 1);
        var sb = new StringBuilder();
        sb.AppendLine(ci, $"  {"class".PadRight(width)} precision  recall     F1   windows");
        for (var g = 0; g < names.Count; g++)
        {
            long row = 0;
            for (var p = 0; p < names.Count; p++)
            {
                row += _confusion[g, p];
            }

            sb.AppendLine(ci, $"  {names[g].PadRight(width)} {Precision(g),9:F3} {Recall(g),7:F3} {F1(g),6:F3} {row,9}");
        }

        sb.AppendLine(ci, $"  macro-F1 {MacroF1:F3}");
        sb.Append("  confusion (rows truth, columns predicted):\n  ").Append(new string(' ', width));
        foreach (var n in names)
        {
            sb.Append(' ').Append(Abbreviate(n).PadLeft(7));
        }

        sb.AppendLine();
        for (var t = 0; t < names.Count; t++)
        {
            sb.Append("  ").Append(names[t].PadRight(width));
            for (var p = 0; p < names.Count; p++)
            {
                sb.Append(' ').Append(_confusion[t, p].ToString(ci).PadLeft(7));
            }

            sb.AppendLine();
        }

        return sb.ToString();
    }

    private static string Abbreviate(string name) => name.Length <= 7 ? name : name[..7];
}
