using System.Globalization;
using System.Text.Encodings.Web;
using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Shared;

/// <summary>
/// How the portal shows a value to a reader: texts in their language (or another, marked), dates and
/// numbers in their locale, and "not known" for what no source gives.
/// </summary>
public sealed class Display(IStringLocalizer<SharedResource> l, MechanismQueries mechanism, HtmlEncoder encoder,
    Caravan.Data.CaravanDbContext db)
{
    private Dictionary<string, MemberState>? _states;
    private readonly Dictionary<string, Dictionary<string, (LocalizedText Name, List<string> Translated)>> _names = [];

    public static CultureInfo Culture => CultureInfo.CurrentCulture;
    public static string Language => CaravanLocalization.Language;

    public IHtmlContent NotKnown => new HtmlString($"<span class=\"unknown\">{Encode(l["value.not-known"])}</span>");

    /// <summary>The text in the reader's language; another language's text is marked with its language.</summary>
    public IHtmlContent Text(LocalizedText? text, IReadOnlyCollection<string>? translated = null)
    {
        var value = text?.Pick(Language) ?? LocalizedValue.None;
        if (!value.HasValue) return NotKnown;
        var html = $"<span lang=\"{value.Language}\">{Encode(value.Text!)}</span>";
        if (value.IsFallback)
            html += $" <small class=\"fallback\">({Encode(l["value.only-in-" + value.Language])})</small>";
        else if (translated?.Contains(value.Language!) == true)
            html += $" <small class=\"translated\">({Encode(l["value.unofficial-translation"])})</small>";
        return new HtmlString(html);
    }

    /// <summary>Plain text for attributes and titles.</summary>
    public static string Plain(LocalizedText? text) => text?.Pick(Language).Text ?? "";

    /// <summary>
    /// A day as the reader writes it, like every other date ("17 June 2025", "17 июня 2025 г.", "2025年6月17日").
    /// </summary>
    public static string Day(DateOnly day) => PartialDate.OfDay(day.Year, day.Month, day.Day).Format(Culture);

    public static string Day(DateTimeOffset at) => Day(DateOnly.FromDateTime(at.UtcDateTime));

    public static IHtmlContent DayHtml(DateOnly day) =>
        new HtmlString($"<time datetime=\"{day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}\">{HtmlEncoder.Default.Encode(Day(day))}</time>");

    /// <summary>
    /// A moment (UTC, as stored): the day as every date, then the 24-hour time ("17 June 2025, 20:59 UTC").
    /// </summary>
    public static string Moment(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        var time = utc.ToString("HH:mm", CultureInfo.InvariantCulture);
        var day = Day(DateOnly.FromDateTime(utc.UtcDateTime));
        return Language == "zh" ? $"{day} {time}（UTC）" : $"{day}, {time} UTC";
    }

    public static IHtmlContent MomentHtml(DateTimeOffset at) =>
        new HtmlString($"<time datetime=\"{at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}\">{HtmlEncoder.Default.Encode(Moment(at))}</time>");

    /// <summary>
    /// A point as the reader writes it: "38.5598° N, 68.787° E", "38,5598° с. ш., 68,787° в. д.", "北纬 38.5598°，东经
    /// 68.787°".
    /// </summary>
    public string Coordinates(decimal latitude, decimal longitude) =>
        latitude >= 0 && longitude >= 0
            ? string.Format(Culture, l["value.coordinates"], latitude.ToString("0.#####", Culture),
                longitude.ToString("0.#####", Culture))
            // south or west of the equator and meridian: signed, as GPS writes it
            : string.Format(Culture, "{0:0.#####}°; {1:0.#####}°", latitude, longitude);

    /// <summary>
    /// A record named in the reader's language and linked to its page, never its id: <paramref name="kind"/> is
    /// its path ("bodies", "meetings", "documents", "treaties", "directions", "indicators", "programmes"; "periods" has
    /// no page).
    /// </summary>
    public async Task<IHtmlContent> RecordAsync(string kind, string? id)
    {
        if (id is null) return NotKnown;
        var names = await NamesAsync(kind);
        if (!names.TryGetValue(id, out var n)) return new HtmlString($"<code>{Encode(id)}</code>");
        var text = Text(n.Name, n.Translated);
        // Directions are one page, a section each; periods have no page.
        return kind switch
        {
            "periods" => text,
            "directions" => new HtmlString($"<a href=\"/directions#{Encode(id)}\">{text}</a>"),
            _ => new HtmlString($"<a href=\"/{kind}/{Encode(id)}\">{text}</a>"),
        };
    }

    /// <summary>
    /// A role as recorded ("national-coordinator:KZ") in the reader's words: "National coordinator (Kazakhstan)".
    /// </summary>
    public async Task<string> RoleAsync(string? role)
    {
        if (string.IsNullOrEmpty(role)) return l["value.not-known"];
        var (name, state) = role.IndexOf(':', StringComparison.Ordinal) is var i and >= 0
            ? (role[..i], role[(i + 1)..])
            : (role, null);
        var named = l["role." + name];
        var text = named.ResourceNotFound ? name : named.Value;
        return state is null ? text : $"{text} ({await StateNameAsync(state)})";
    }

    /// <summary>Whose business a record is, named: the states and bodies, or "the mechanism as a whole".</summary>
    public async Task<string> ScopeAsync(IEnumerable<string> states, IEnumerable<string> bodies)
    {
        var names = new List<string>();
        foreach (var s in states) names.Add(await StateNameAsync(s));
        foreach (var b in bodies) names.Add(await RecordNameAsync("bodies", b));
        return names.Count == 0 ? l["work.mechanism"] : string.Join(" · ", names);
    }

    /// <summary>The record's name as plain text (for titles and option lists).</summary>
    public async Task<string> RecordNameAsync(string kind, string id) =>
        (await NamesAsync(kind)).TryGetValue(id, out var n) ? Plain(n.Name) : id;

    private async Task<Dictionary<string, (LocalizedText Name, List<string> Translated)>> NamesAsync(string kind)
    {
        if (_names.TryGetValue(kind, out var cached)) return cached;
        var names = kind switch
        {
            "bodies" => (await db.Bodies.AsNoTracking().Select(x => new { x.Id, x.Name, x.Translated }).ToListAsync())
                .ToDictionary(x => x.Id, x => (x.Name, x.Translated)),
            "meetings" => (await db.Meetings.AsNoTracking().Select(x => new { x.Id, x.Name, x.Translated })
                .ToListAsync()).ToDictionary(x => x.Id, x => (x.Name, x.Translated)),
            "documents" or "treaties" => (await db.Documents.AsNoTracking()
                .Select(x => new { x.Id, x.Title, x.Translated }).ToListAsync())
                .ToDictionary(x => x.Id, x => (x.Title, x.Translated)),
            "directions" => (await db.PriorityDirections.AsNoTracking().Select(x => new { x.Id, x.Name, x.Translated })
                .ToListAsync()).ToDictionary(x => x.Id, x => (x.Name, x.Translated)),
            "indicators" => (await db.Indicators.AsNoTracking().Select(x => new { x.Id, x.Name, x.Translated })
                .ToListAsync()).ToDictionary(x => x.Id, x => (x.Name, x.Translated)),
            "programmes" => (await db.Programmes.AsNoTracking().Select(x => new { x.Id, x.Name, x.Translated })
                .ToListAsync()).ToDictionary(x => x.Id, x => (x.Name, x.Translated)),
            "periods" => (await db.ReportingPeriods.AsNoTracking().Select(x => new { x.Id, x.Name }).ToListAsync())
                .ToDictionary(x => x.Id, x => (x.Name, new List<string>())),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such record kind"),
        };
        return _names[kind] = names;
    }

    public IHtmlContent Date(PartialDate? date) => date is { } d
        ? new HtmlString($"<time datetime=\"{d.ToIso()}\">{Encode(d.Format(Culture))}</time>")
        : NotKnown;

    public IHtmlContent Period(PartialDate? from, PartialDate? to)
    {
        if (from is null && to is null) return NotKnown;
        if (from == to) return Date(from);
        return new HtmlString($"{(from is null ? NotKnown.ToString() : Date(from).ToString())} – {(to is null ? NotKnown.ToString() : Date(to).ToString())}");
    }

    /// <summary>A figure as the reader writes it, with the source's own qualifier ("more than 100").</summary>
    public string Number(decimal value, Qualifier qualifier = Qualifier.Exact) =>
        qualifier == Qualifier.Exact
            ? Quantity.Format(value, Culture)
            : string.Format(Culture, l["qualifier." + Kebab(qualifier)], Quantity.Format(value, Culture));

    /// <summary>An amount with its unit: a currency code, or a counted thing.</summary>
    public string Amount(decimal? value, string? unit, Qualifier qualifier = Qualifier.Exact)
    {
        if (value is null) return l["value.no-figure"];
        var number = Number(value.Value, qualifier);
        if (unit is null) return number;
        var unitName = l["unit." + unit];
        return unitName.ResourceNotFound ? $"{number} {unit}" : string.Format(Culture, unitName, number);
    }

    /// <summary>An indicator's unit in the reader's language ("USD bn" → "十亿美元").</summary>
    public string UnitName(string unit)
    {
        var name = l["unitname." + unit];
        return name.ResourceNotFound ? unit : name.Value;
    }

    public async Task<IHtmlContent> StateAsync(string? code)
    {
        if (code is null) return NotKnown;
        _states ??= (await mechanism.StatesAsync()).ToDictionary(s => s.Id);
        if (!_states.TryGetValue(code, out var state)) return new HtmlString(Encode(code));
        return new HtmlString($"<a href=\"/states/{code}\" class=\"state\">{Text(state.ShortName)}</a>");
    }

    public async Task<string> StateNameAsync(string code)
    {
        _states ??= (await mechanism.StatesAsync()).ToDictionary(s => s.Id);
        return _states.TryGetValue(code, out var state) ? Plain(state.ShortName) : code;
    }

    public string Enum<T>(T value) where T : struct, System.Enum => l[$"{typeof(T).Name}.{Kebab(value)}"];

    public string ConfidenceName(Confidence confidence) => l["confidence." + Kebab(confidence)];

    private static string Kebab<T>(T value) where T : struct, System.Enum =>
        Caravan.Features.Seed.SeedEnums.ToKebab(value);

    private string Encode(string text) => encoder.Encode(text);
}
