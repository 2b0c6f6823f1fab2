using System.Globalization;
using System.Text;
using System.Text.Json;
using Caravan.Features.Projects;

namespace Caravan.Web.Features.Shared;

/// <summary>One named line or set of bars; a null value is "not known", drawn as a gap, never as zero.</summary>
/// <param name="Tone">The status the series stands for (commitments by status), drawn in the status palette.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<decimal?> Values, StatusTone? Tone = null);

/// <summary>
/// The numbers behind a chart, which the portal shows three ways from this one object (partial
/// <c>_Chart</c>): drawn by ECharts, as a table (what screen readers, slow links and no-JavaScript readers
/// get), and as a CSV download, so that a reader can always check and reuse what a picture claims.
/// </summary>
/// <param name="Id">Unique on the page; also names the CSV file and the table (<c>{Id}-table</c>).</param>
/// <param name="Kind"><c>bar</c>, <c>line</c> or <c>stacked</c> (stacked bars).</param>
/// <param name="CategoryHeading">What the categories are (Year, State…): the first column of table and CSV.</param>
/// <param name="CategoryTones">The status each category stands for (one state's commitments by status), if any.</param>
/// <param name="Empty">The sentence shown instead of empty axes; the partial's default is "No figures reported
/// yet".</param>
public sealed record Chart(
    string Id, string Title, string Unit, string Kind, string CategoryHeading,
    IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series,
    IReadOnlyList<StatusTone>? CategoryTones = null, string? Empty = null)
{
    /// <summary>
    /// Nothing to draw: no category, or no value that is known and not zero (bars of nothing are empty axes). The
    /// portal then says so in a sentence; the table, if it has rows, still lists what is not known.
    /// </summary>
    public bool IsEmpty => Categories.Count == 0 || Series.All(s => s.Values.All(v => v is null or 0m));

    /// <summary>The spec site.js draws from; a status is given with its palette colour, pattern and symbol.</summary>
    public string Spec => JsonSerializer.Serialize(new
    {
        kind = Kind,
        unit = Unit,
        categories = Categories,
        categoryTones = CategoryTones?.Select(Tone),
        series = Series.Select(s => new { name = s.Name, values = s.Values, tone = s.Tone is null ? null
            : Tone(s.Tone) }),
    }, SpecOptions);

    private static readonly JsonSerializerOptions SpecOptions = new()
        { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    private static object Tone(StatusTone t) => new { key = t.Key, color = t.Color, pattern = t.Pattern,
        symbol = t.Symbol };

    /// <summary>
    /// RFC 4180 CSV, UTF-8 with a byte order mark (so spreadsheets open Chinese and Cyrillic), numbers
    /// invariant; text cells that a spreadsheet would run as a formula are neutralised, as in every export.
    /// </summary>
    public string Csv()
    {
        var csv = new StringBuilder("\uFEFF");
        Line(csv, [CategoryHeading, .. Series.Select(s => Unit.Length == 0 ? s.Name : $"{s.Name} ({Unit})")],
            text: true);
        for (var i = 0; i < Categories.Count; i++)
        {
            csv.Append(Cell(Categories[i], text: true));
            foreach (var s in Series)
                csv.Append(',')
                    .Append(i < s.Values.Count && s.Values[i] is { } v ? v.ToString(CultureInfo.InvariantCulture) : "");
            csv.Append("\r\n");
        }
        return csv.ToString();
    }

    /// <summary>
    /// The CSV as a data: address, so the download needs no second request and cannot drift from the page.
    /// </summary>
    public string CsvHref => "data:text/csv;charset=utf-8," + Uri.EscapeDataString(Csv());

    public string FileName => Id + ".csv";

    private static void Line(StringBuilder csv, IEnumerable<string> cells, bool text)
    {
        csv.AppendJoin(',', cells.Select(c => Cell(c, text)));
        csv.Append("\r\n");
    }

    private static string Cell(string value, bool text)
    {
        var cell = text ? ProjectSheet.Neutralise(value) : value;
        return cell.AsSpan().IndexOfAny(",\"\r\n") >= 0
            ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : cell;
    }
}
