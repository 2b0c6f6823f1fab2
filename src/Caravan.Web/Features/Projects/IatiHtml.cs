using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Projects;

/// <summary>
/// How project pages show IATI content: narratives in the reader's language (another language marked, the
/// others a click away), codes by their names in the reader's language, amounts in the reader's locale.
/// </summary>
public static class IatiHtml
{
    // As the portal's own encoder: Chinese and Cyrillic as characters, not entities.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>
    /// The IATI codelists whose names the portal carries in zh/ru/en (resource keys "iati-{list}.{code}").
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> NamedLists =
        new Dictionary<string, IReadOnlySet<string>>
    {
        ["status"] = IatiCodelists.ActivityStatus,
        ["transaction"] = IatiCodelists.TransactionType,
        ["role"] = IatiCodelists.OrganisationRole,
        ["date"] = IatiCodelists.ActivityDateType,
        ["related"] = IatiCodelists.RelatedActivityType,
        ["budget-type"] = IatiCodelists.BudgetType,
        ["budget-status"] = IatiCodelists.BudgetStatus,
        ["description"] = IatiCodelists.DescriptionType,
        ["result"] = IatiCodelists.ResultType,
        ["measure"] = IatiCodelists.IndicatorMeasure,
    };

    public static IHtmlContent Text(IReadOnlyList<IatiNarrative>? narratives, IStringLocalizer l,
        string? defaultLanguage = null)
    {
        var (picked, fallback) = Narratives.Pick(narratives ?? [], CaravanLocalization.Language, defaultLanguage);
        if (picked is null) return new HtmlString($"<span class=\"unknown\">{Encoder.Encode(l["value.not-known"])}</span>");
        var html = $"<span lang=\"{Encoder.Encode(picked.Language)}\">{Encoder.Encode(picked.Text)}</span>";
        if (fallback) html += $" <small class=\"fallback\">({Encoder.Encode(string.Format(CultureInfo.CurrentCulture, l["projects.in-language"], LanguageName(picked.Language, l)))})</small>";
        return new HtmlString(html);
    }

    /// <summary>The narratives in the other languages, folded away.</summary>
    public static IHtmlContent Others(IReadOnlyList<IatiNarrative>? narratives, IStringLocalizer l,
        string? defaultLanguage = null)
    {
        var (picked, _) = Narratives.Pick(narratives ?? [], CaravanLocalization.Language, defaultLanguage);
        var others = (narratives ?? []).Where(n => n != picked && n.Text.Length > 0).ToList();
        if (others.Count == 0) return HtmlString.Empty;
        var items = string.Concat(others.Select(n =>
            $"<p><small>{Encoder.Encode(LanguageName(n.Language, l))}</small> <span lang=\"{Encoder.Encode(n.Language)}\">{Encoder.Encode(n.Text)}</span></p>"));
        return new HtmlString($"<details class=\"other-languages\"><summary>{Encoder.Encode(string.Format(CultureInfo.CurrentCulture, l["projects.other-languages"], others.Count))}</summary>{items}</details>");
    }

    public static string Plain(IReadOnlyList<IatiNarrative>? narratives, string? defaultLanguage = null) =>
        Narratives.Pick(narratives ?? [], CaravanLocalization.Language, defaultLanguage).Narrative?.Text ?? "";

    /// <summary>
    /// A language's name in the reader's language for the three working languages; otherwise its ISO 639-1 code.
    /// </summary>
    public static string LanguageName(string code, IStringLocalizer l)
    {
        var name = l["language." + code.Split('-')[0].ToLowerInvariant()];
        return name.ResourceNotFound ? code : name.Value;
    }

    /// <summary>
    /// A code's name ("iati-status.2" → "Implementation"); an unknown code is shown as it is, never guessed.
    /// </summary>
    public static string Code(IStringLocalizer l, string list, string? code)
    {
        if (code is null) return "";
        var name = l[$"iati-{list}.{code}"];
        return name.ResourceNotFound ? code : name.Value;
    }

    /// <summary>
    /// An amount for reading: rounded to two decimals here and only here, in the reader's locale, with its currency
    /// code.
    /// </summary>
    public static string Amount(decimal amount, string? currency) =>
        Math.Round(amount, 2, MidpointRounding.AwayFromZero).ToString("N2", CultureInfo.CurrentCulture)
            + (currency is null ? "" : "\u00a0" + currency);

    public static string Amount(Money money) => Amount(money.Amount, money.Currency);

    /// <summary>A date as the rest of the portal writes it ("24 September 2025", "2025年9月24日").</summary>
    public static IHtmlContent Date(DateOnly? date) => date is { } d
        ? new HtmlString($"<time datetime=\"{Iso(d)}\">{Encoder.Encode(Caravan.Shared.PartialDate.OfDay(d.Year, d.Month, d.Day).Format(CultureInfo.CurrentCulture))}</time>")
        : HtmlString.Empty;

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// A table of totals beside its chart: each line's converted sum, what could not be converted, and how many
/// transactions.
/// </summary>
public sealed record TotalsTable(string Id, string Heading, string Currency,
    IReadOnlyList<(string Name, TotalLine Line)> Rows);
