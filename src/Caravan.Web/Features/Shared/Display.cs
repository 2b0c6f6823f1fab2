using System.Globalization;
using System.Text.Encodings.Web;
using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Shared;

/// <summary>
/// How the portal shows a value to a reader: texts in their language (or another, marked), dates and
/// numbers in their locale, and "not known" for what no source gives.
/// </summary>
public sealed class Display(IStringLocalizer<SharedResource> l, MechanismQueries mechanism, HtmlEncoder encoder)
{
    private Dictionary<string, MemberState>? _states;

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

    public IHtmlContent Date(PartialDate? date) => date is { } d ? new HtmlString($"<time datetime=\"{d.ToIso()}\">{Encode(d.Format(Culture))}</time>") : NotKnown;

    public IHtmlContent Period(PartialDate? from, PartialDate? to)
    {
        if (from is null && to is null) return NotKnown;
        if (from == to) return Date(from);
        return new HtmlString($"{(from is null ? NotKnown.ToString() : Date(from).ToString())} – {(to is null ? NotKnown.ToString() : Date(to).ToString())}");
    }

    /// <summary>A figure as the reader writes it, with the source's own qualifier ("more than 100").</summary>
    public string Number(decimal value, Qualifier qualifier = Qualifier.Exact) =>
        qualifier == Qualifier.Exact ? Quantity.Format(value, Culture) : string.Format(Culture, l["qualifier." + Kebab(qualifier)], Quantity.Format(value, Culture));

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

    private static string Kebab<T>(T value) where T : struct, System.Enum => Caravan.Features.Seed.SeedEnums.ToKebab(value);

    private string Encode(string text) => encoder.Encode(text);
}
