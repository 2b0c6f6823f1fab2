using Caravan.Shared;

namespace Caravan.Features.Projects;

/// <summary>
/// The IATI reader's and rules' messages: why a file stopped or an activity was skipped or warned about.
/// </summary>
public static class IatiMessages
{
    public static readonly MessageCode CurrencyMissing = new("iati.currency-missing");
    public static readonly MessageCode Dtd = new("iati.dtd");
    public static readonly MessageCode Duplicate = new("iati.duplicate");
    public static readonly MessageCode ElementMissing = new("iati.element-missing");
    public static readonly MessageCode Encoding = new("iati.encoding");
    public static readonly MessageCode EndBeforeStart = new("iati.end-before-start");
    public static readonly MessageCode IdentifierMissing = new("iati.identifier-missing");
    public static readonly MessageCode IdentifierPrefix = new("iati.identifier-prefix");
    public static readonly MessageCode Malformed = new("iati.malformed");
    public static readonly MessageCode NotIati = new("iati.not-iati");
    public static readonly MessageCode Percentages = new("iati.percentages");
    public static readonly MessageCode TitleMissing = new("iati.title-missing");
    public static readonly MessageCode TooLarge = new("iati.too-large");
    public static readonly MessageCode UnknownCode = new("iati.unknown-code");
    /// <summary>A value there but not of its schema type: the kind (a term), the text, the line and the path.</summary>
    public static readonly MessageCode Unreadable = new("iati.unreadable");
    public static readonly MessageCode ValueDateMissing = new("iati.value-date-missing");
    public static readonly MessageCode ValueMissing = new("iati.value-missing");
    public static readonly MessageCode Version = new("iati.version");
    /// <summary>The root states no version at all (the schema requires one).</summary>
    public static readonly MessageCode VersionMissing = new("iati.version-missing");
    public static readonly MessageCode Xsd = new("iati.xsd");
    public static readonly MessageCode Token = new("iati.token");
    public static readonly MessageCode Depth = new("iati.depth");
}

/// <summary>The project sheet's messages: why a file, a column or a row of an upload is refused.</summary>
public static class SheetMessages
{
    public static readonly MessageCode BadXlsx = new("projects.bad-xlsx");
    public static readonly MessageCode Boolean = new("projects.boolean");
    public static readonly MessageCode Columns = new("projects.columns");
    public static readonly MessageCode Conflict = new("projects.conflict");
    public static readonly MessageCode Country = new("projects.country");
    public static readonly MessageCode CountryDuplicate = new("projects.country-duplicate");
    public static readonly MessageCode CountryPercentage = new("projects.country-percentage");
    public static readonly MessageCode CountrySum = new("projects.country-sum");
    public static readonly MessageCode CreateMissing = new("projects.create-missing");
    public static readonly MessageCode CsvMalformed = new("projects.csv-malformed");
    public static readonly MessageCode Date = new("projects.date");
    public static readonly MessageCode DateRequired = new("projects.date-required");
    public static readonly MessageCode DescriptionRequired = new("projects.description-required");
    public static readonly MessageCode Duplicate = new("projects.duplicate");
    public static readonly MessageCode DuplicateColumn = new("projects.duplicate-column");
    public static readonly MessageCode Empty = new("projects.empty");
    public static readonly MessageCode EndBeforeStart = new("projects.end-before-start");
    public static readonly MessageCode ExternalId = new("projects.external-id");
    public static readonly MessageCode ExternalIdMismatch = new("projects.external-id-mismatch");
    public static readonly MessageCode Identifier = new("projects.identifier");
    public static readonly MessageCode KeyColumn = new("projects.key-column");
    public static readonly MessageCode KeyMissing = new("projects.key-missing");
    public static readonly MessageCode NotUtf8 = new("projects.not-utf8");
    public static readonly MessageCode Percentage = new("projects.percentage");
    public static readonly MessageCode Stage = new("projects.stage");
    public static readonly MessageCode Stale = new("projects.stale");
    public static readonly MessageCode Status = new("projects.status");
    public static readonly MessageCode StatusRequired = new("projects.status-required");
    public static readonly MessageCode TitleRequired = new("projects.title-required");
    public static readonly MessageCode UnknownColumn = new("projects.unknown-column");
    public static readonly MessageCode UnknownCommitment = new("projects.unknown-commitment");
    public static readonly MessageCode UnknownDirection = new("projects.unknown-direction");
    public static readonly MessageCode UnknownIdentifier = new("projects.unknown-identifier");
    public static readonly MessageCode Version = new("projects.version");
}
