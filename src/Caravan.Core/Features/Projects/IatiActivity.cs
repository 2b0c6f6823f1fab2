using System.Text.Json;
using System.Text.Json.Serialization;

namespace Caravan.Features.Projects;

/// <summary>A narrative in one language (xml:lang, or the activity's default language).</summary>
public sealed record IatiNarrative(string Language, string Text);

/// <summary>An organisation as IATI names it: reporting, participating (with a role), provider or receiver.</summary>
public sealed record IatiOrg(string? Ref, string? Type, string? Role, List<IatiNarrative> Names,
    string? ActivityId = null);

/// <summary>A recipient country or region, or a sector: a code in a vocabulary with its share.</summary>
public sealed record IatiShare(string Code, string? Vocabulary, decimal? Percentage, List<IatiNarrative>? Names = null);

public sealed record IatiDescription(string? Type, List<IatiNarrative> Narratives);

public sealed record IatiActivityDate(string Type, DateOnly On, List<IatiNarrative>? Narratives = null);

/// <summary>An amount as the publisher states it; its currency is the value's own or the activity's default.</summary>
public sealed record IatiValue(decimal Amount, string? Currency, DateOnly? ValueDate);

public sealed record IatiBudget(string? Type, string? Status, DateOnly? Start, DateOnly? End, IatiValue? Value);

public sealed record IatiPlannedDisbursement(string? Type, DateOnly? Start, DateOnly? End, IatiValue? Value,
    IatiOrg? Provider, IatiOrg? Receiver);

public sealed record IatiTransaction(
    string? Type, DateOnly? Date, IatiValue? Value, List<IatiNarrative> Description, IatiOrg? Provider,
    IatiOrg? Receiver, string? Ref = null)
{
    /// <summary>
    /// The currency that applies: the value's own, else the activity's default (filled in by the reader).
    /// </summary>
    [JsonIgnore] public string? Currency => Value?.Currency;
    [JsonIgnore] public string? ProviderRef => Provider?.Ref;
    [JsonIgnore] public string? ReceiverRef => Receiver?.Ref;
}

public sealed record IatiCode(string Code, string? Vocabulary = null);

public sealed record IatiLocation(
    string? Ref, string? Reach, List<IatiCode> Ids, List<IatiNarrative> Name, List<IatiNarrative> Description,
    List<IatiNarrative> ActivityDescription, List<IatiAdministrative> Administrative, decimal? Latitude,
    decimal? Longitude, string? Exactness, string? Class, string? FeatureDesignation);

public sealed record IatiAdministrative(string Vocabulary, string Code, int? Level);

public sealed record IatiDocumentLink(string Url, string? Format, List<IatiNarrative> Title,
    List<IatiNarrative> Description, List<string> Categories, List<string> Languages, DateOnly? Date);

public sealed record IatiRelatedActivity(string Ref, string Type);

public sealed record IatiResult(string? Type, bool? AggregationStatus, List<IatiNarrative> Title,
    List<IatiNarrative> Description, List<IatiIndicator> Indicators);

public sealed record IatiIndicator(string Measure, bool? Ascending, bool? AggregationStatus, List<IatiNarrative> Title,
    List<IatiNarrative> Description, List<IatiBaseline> Baselines, List<IatiPeriod> Periods);

/// <summary>Baseline, target and actual values are kept as written (IATI allows a qualitative value).</summary>
public sealed record IatiBaseline(int? Year, DateOnly? Date, string? Value);

public sealed record IatiPeriod(DateOnly? Start, DateOnly? End, List<string> Targets, List<string> Actuals);

/// <summary>
/// An IATI 2.03 activity as far as Caravan models it: what the issue names (organisations and roles,
/// narratives per language, status, dates, countries, regions, sectors, locations, budgets, planned
/// disbursements, transactions, results, documents, related activities) and the activity's default codes.
/// Elements not listed here are not kept; <see cref="IatiModel.NotModelled"/> names them.
/// </summary>
public sealed class IatiActivity
{
    public required string Identifier { get; init; }
    public IatiOrg? ReportingOrg { get; init; }
    public string DefaultLanguage { get; init; } = "en";
    public string? DefaultCurrency { get; init; }
    public string? Hierarchy { get; init; }
    public string? Humanitarian { get; init; }
    /// <summary>
    /// Settable, with <see cref="Status"/>: a bulk update from a sheet changes them on the stored record
    /// (<see cref="ProjectSheet"/>).
    /// </summary>
    public DateTimeOffset? LastUpdated { get; set; }
    public List<IatiNarrative> Titles { get; init; } = [];
    public List<IatiDescription> Descriptions { get; init; } = [];
    public List<IatiOrg> ParticipatingOrgs { get; init; } = [];
    public string? Status { get; set; }
    public List<IatiActivityDate> ActivityDates { get; init; } = [];
    public string? Scope { get; init; }
    public List<IatiShare> RecipientCountries { get; init; } = [];
    public List<IatiShare> RecipientRegions { get; init; } = [];
    public List<IatiLocation> Locations { get; init; } = [];
    public List<IatiShare> Sectors { get; init; } = [];
    public string? CollaborationType { get; init; }
    public string? DefaultFlowType { get; init; }
    public string? DefaultFinanceType { get; init; }
    public List<IatiCode> DefaultAidTypes { get; init; } = [];
    public string? DefaultTiedStatus { get; init; }
    public List<IatiBudget> Budgets { get; init; } = [];
    public List<IatiPlannedDisbursement> PlannedDisbursements { get; init; } = [];
    public List<IatiTransaction> Transactions { get; init; } = [];
    public List<IatiDocumentLink> DocumentLinks { get; init; } = [];
    public List<IatiRelatedActivity> RelatedActivities { get; init; } = [];
    public List<IatiResult> Results { get; init; } = [];

    /// <summary>The line of the file the activity starts on (for reports; not part of the record).</summary>
    [JsonIgnore] public int Line { get; init; }

    [JsonIgnore] public string? ReportingOrgRef => ReportingOrg?.Ref;

    /// <summary>
    /// Values that are there but could not be read as their schema type (a date, a number...): reported as such,
    /// never as missing elements.
    /// </summary>
    [JsonIgnore] public List<IatiUnreadable>? Unreadable { get; init; }

    /// <summary>The version of the file the activity was read from (&lt;iati-activities version&gt;).</summary>
    [JsonIgnore] public string? FileVersion { get; init; }

    /// <summary>What the official XSD refused in this activity, when the reader was given the schema.</summary>
    [JsonIgnore] public List<string>? SchemaErrors { get; set; }

    /// <summary>
    /// Dates by type (1 planned start, 2 actual start, 3 planned end, 4 actual end); the last of a type wins.
    /// </summary>
    [JsonIgnore] public IReadOnlyDictionary<string, DateOnly> Dates
        => ActivityDates.GroupBy(d => d.Type).ToDictionary(g => g.Key, g => g.Last().On);

    public string ToJson() => JsonSerializer.Serialize(this, IatiJson.Default.IatiActivity);
    public static IatiActivity FromJson(string json)
        => JsonSerializer.Deserialize(json, IatiJson.Default.IatiActivity)!;

    /// <summary>
    /// Only the locations of a stored record (the map reads thousands; the rest is skipped, not built).
    /// </summary>
    public static List<IatiLocation> LocationsFromJson(string json)
        => JsonSerializer.Deserialize(json, IatiJson.Default.IatiActivityLocations)?.Locations ?? [];
}

/// <summary>The locations part of a stored activity record.</summary>
public sealed record IatiActivityLocations(List<IatiLocation>? Locations);

/// <summary>
/// Source-generated JSON for the stored record: the import serialises every activity, so no reflection.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(IatiActivity))]
[JsonSerializable(typeof(IatiActivityLocations))]
internal sealed partial class IatiJson : JsonSerializerContext;

public static class IatiModel
{
    /// <summary>
    /// Elements of an activity that Caravan reads past and does not store, so they are not in its export.
    /// The round-trip test of the official example checks this list against what is actually lost.
    /// </summary>
    public static readonly IReadOnlyList<string> NotModelled =
    [
        "other-identifier", "contact-info", "tag", "country-budget-items", "humanitarian-scope", "policy-marker",
        "capital-spend", "legacy-data", "conditions", "crs-add", "fss",
        "transaction/disbursement-channel", "transaction/sector", "transaction/recipient-country",
        "transaction/recipient-region", "transaction/flow-type", "transaction/finance-type", "transaction/aid-type",
        "transaction/tied-status",
        "result/document-link", "result/reference", "result/indicator/document-link", "result/indicator/reference",
        "result/indicator/baseline/location", "result/indicator/baseline/dimension",
        "result/indicator/baseline/document-link", "result/indicator/baseline/comment",
        "result/indicator/period/target/location", "result/indicator/period/target/dimension",
        "result/indicator/period/target/comment", "result/indicator/period/target/document-link",
        "result/indicator/period/actual/location", "result/indicator/period/actual/dimension",
        "result/indicator/period/actual/comment", "result/indicator/period/actual/document-link",
    ];
}
