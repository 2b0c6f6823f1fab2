using System.Text.Json.Serialization;
using Caravan.Shared;

namespace Caravan.Features.Seed;

// The shape of seed/cca-mechanism.json (documented in docs/seed-format.md). Plain records: the loader
// validates them and the importer maps them to entities.

public sealed record SeedDataset
{
    public required string Dataset { get; init; }
    public required int Version { get; init; }
    public string? AsOf { get; init; }
    public Dictionary<string, SeedSource> Sources { get; init; } = [];
    public List<SeedMemberState> MemberStates { get; init; } = [];
    public List<SeedBody> Bodies { get; init; } = [];
    public List<SeedMeeting> Meetings { get; init; } = [];
    public List<SeedDocument> Documents { get; init; } = [];
    public List<SeedDirection> PriorityDirections { get; init; } = [];
    public List<SeedMeasure> Measures { get; init; } = [];
    public List<SeedIndicator> Indicators { get; init; } = [];
    public List<SeedReportedFigure> ReportedFigures { get; init; } = [];
    public List<SeedPeriod2> ReportingPeriods { get; init; } = [];
    public List<SeedCommitment> Commitments { get; init; } = [];
    public List<SeedProgramme> Programmes { get; init; } = [];
    public List<SeedPartnership> Partnerships { get; init; } = [];
    /// <summary>Records an earlier version listed that are withdrawn as false: the importer deletes them, audited with the reason.</summary>
    public List<SeedRetractionRow> Retractions { get; init; } = [];
}

/// <summary>A retracted record: its kind and id, the version that retracted it, why, and the sources that show it.</summary>
public sealed record SeedRetractionRow : ICitedSeedRow
{
    public required string Kind { get; init; }
    public required string Id { get; init; }
    public int Version { get; init; }
    public required LocalizedText Reason { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

/// <summary>A partnership (sister cities, a Luban Workshop, a visa arrangement…); its id names its two states.</summary>
public sealed record SeedPartnership : ICitedSeedRow
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Status { get; init; }
    public LocalizedText? Name { get; init; }
    public LocalizedText? PlaceA { get; init; }
    public decimal? LatitudeA { get; init; }
    public decimal? LongitudeA { get; init; }
    public LocalizedText? PlaceB { get; init; }
    public decimal? LatitudeB { get; init; }
    public decimal? LongitudeB { get; init; }
    public LocalizedText? Institution { get; init; }
    public LocalizedText? PartnerInstitution { get; init; }
    public LocalizedText? Terms { get; init; }
    public LocalizedText? Agreement { get; init; }
    public string? Document { get; init; }
    public string? AgreedOn { get; init; }
    public string? StartedOn { get; init; }
    public string? EndedOn { get; init; }
    public LocalizedText? Note { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

/// <summary>A reporting period (named SeedPeriod2 because SeedPeriod is a measure's from–to).</summary>
public sealed record SeedPeriod2
{
    public required string Id { get; init; }
    public int Order { get; init; }
    public required LocalizedText Name { get; init; }
    public required string From { get; init; }
    public string? To { get; init; }
    public string? ClosesAt { get; init; }
    public string? DueOn { get; init; }
    public bool Closed { get; init; }
}

public sealed record SeedCommitment : ICitedSeedRow
{
    public required string Id { get; init; }
    public required LocalizedText Text { get; init; }
    /// <summary>The text is Caravan's summary, not the agreed wording.</summary>
    public bool Summary { get; init; }
    public List<string> Translated { get; init; } = [];
    public string? Document { get; init; }
    public string? Provision { get; init; }
    public string? Meeting { get; init; }
    public string? Measure { get; init; }
    public List<string> Parties { get; init; } = [];
    public List<string> Lead { get; init; } = [];
    public List<string> Supporting { get; init; } = [];
    public string? Direction { get; init; }
    public required string Kind { get; init; }
    public LocalizedText? Target { get; init; }
    public string? Indicator { get; init; }
    public string? Deadline { get; init; }
    public string? ActiveOnceInForce { get; init; }
    public required string FirstPeriod { get; init; }
    public string? CarriedOverFrom { get; init; }
    public bool Cancelled { get; init; }
    public string Combine { get; init; } = "average";
    public SeedRubric? Rubric { get; init; }
    public LocalizedText? Note { get; init; }
    public List<SeedAssessment> Assessments { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedRubric(LocalizedText? Minus, LocalizedText? Zero, LocalizedText? Plus);

public sealed record SeedAssessment : ICitedSeedRow
{
    public required string State { get; init; }
    public required string Period { get; init; }
    public int Score { get; init; }
    public required LocalizedText Evidence { get; init; }
    public string? EvidenceUrl { get; init; }
    public string? AssessedOn { get; init; }
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedSource(string? Url, string Title, string Language);

public sealed record SeedCitation(string Source, string Confidence);

public interface ICitedSeedRow
{
    List<SeedCitation> Citations { get; }
}

public sealed record SeedMemberState : ICitedSeedRow
{
    public required string Id { get; init; }
    public int Order { get; init; }
    public required LocalizedText Name { get; init; }
    public required LocalizedText ShortName { get; init; }
    public List<SeedNativeName> NativeNames { get; init; } = [];
    public LocalizedText? Capital { get; init; }
    public required string Currency { get; init; }
    public List<SeedLanguage> Languages { get; init; } = [];
    public SeedHeadOfState? HeadOfState { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedNativeName(string Language, string Name);
public sealed record SeedLanguage(string Code, LocalizedText? Status);
public sealed record SeedHeadOfState(LocalizedText Name, LocalizedText? Title, string? TermStart, string? AsOf);

public sealed record SeedBody : ICitedSeedRow
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required LocalizedText Name { get; init; }
    public string? Host { get; init; }
    public LocalizedText? Seat { get; init; }
    public required string Status { get; init; }
    public string? ProposedOn { get; init; }
    public string? AgreedOn { get; init; }
    public string? EstablishedOn { get; init; }
    public string? OperationalOn { get; init; }
    public LocalizedText? Note { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedMeeting : ICitedSeedRow
{
    public required string Id { get; init; }
    public required string Body { get; init; }
    public int? Number { get; init; }
    public required LocalizedText Name { get; init; }
    public string? StartDate { get; init; }
    public string? EndDate { get; init; }
    public string? Date { get; init; }
    public LocalizedText? Place { get; init; }
    public string? Host { get; init; }
    public required string Status { get; init; }
    public LocalizedText? Note { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedDocument : ICitedSeedRow
{
    public required string Id { get; init; }
    public required string Kind { get; init; }
    public required string Scope { get; init; }
    public List<string> Parties { get; init; } = [];
    public string? Meeting { get; init; }
    public string? SignedOn { get; init; }
    public LocalizedText? SignedAt { get; init; }
    public required LocalizedText Title { get; init; }
    public List<string> Translated { get; init; } = [];
    public LocalizedText? Summary { get; init; }
    public LocalizedText? Note { get; init; }
    public List<SeedCitation> Citations { get; init; } = [];
    /// <summary>For a treaty: its entry-into-force clause (absent: not known).</summary>
    public SeedEntryIntoForce? EntryIntoForce { get; init; }
    /// <summary>For a treaty: the parties' ratification steps that sources report.</summary>
    public List<SeedRatificationStep> Ratification { get; init; } = [];
    /// <summary>Texts (or the passages a source quotes), already split into provisions.</summary>
    public List<SeedDocumentText> Texts { get; init; } = [];
}

public sealed record SeedDocumentText(string Language, bool Authentic, bool Partial, string? Source, List<SeedProvision> Provisions);

public sealed record SeedProvision(string Number, string? Label, string Text);

public sealed record SeedEntryIntoForce(string Rule, int Days = 0, int Instruments = 0);

public sealed record SeedRatificationStep : ICitedSeedRow
{
    public required string State { get; init; }
    public required string Step { get; init; }
    public string? On { get; init; }
    public LocalizedText? Note { get; init; }
    public string? Evidence { get; init; }
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedDirection : ICitedSeedRow
{
    public required string Id { get; init; }
    public int Order { get; init; }
    public required LocalizedText Name { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedPeriod(string? From, string? To);

public sealed record SeedMeasure : ICitedSeedRow
{
    public required string Id { get; init; }
    public required string PledgedBy { get; init; }
    public string? Meeting { get; init; }
    public string? AnnouncedOn { get; init; }
    public required LocalizedText Description { get; init; }
    public decimal? Amount { get; init; }
    public string? Unit { get; init; }
    public SeedPeriod? Period { get; init; }
    public string? Direction { get; init; }
    public LocalizedText? Note { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedIndicator
{
    public required string Id { get; init; }
    public required LocalizedText Name { get; init; }
    public required string Unit { get; init; }
    public LocalizedText? Description { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedIndicatorValue> Values { get; init; } = [];
    public string? SameMeasureAs { get; init; }
    public List<SeedFigureCheck> Checks { get; init; } = [];
}

public sealed record SeedFigureCheck
{
    public required string Figure { get; init; }
    public int FromYear { get; init; }
    public int ToYear { get; init; }
    public LocalizedText? Basis { get; init; }
}

public sealed record SeedIndicatorValue : ICitedSeedRow
{
    public int Year { get; init; }
    public string? State { get; init; }
    public decimal Value { get; init; }
    public string Qualifier { get; init; } = "exact";
    public LocalizedText? Note { get; init; }
    public List<SeedCitation> Citations { get; init; } = [];
}

public sealed record SeedReportedFigure : ICitedSeedRow
{
    public required string Id { get; init; }
    public required LocalizedText Name { get; init; }
    public decimal Value { get; init; }
    public required string Unit { get; init; }
    public string Qualifier { get; init; } = "exact";
    public string? RegistryCount { get; init; }
    public LocalizedText? Note { get; init; }
    public List<string> Translated { get; init; } = [];
    public List<SeedCitation> Citations { get; init; } = [];
}

/// <summary>A pledge kept as a ledger (its entries are recorded in Caravan, never seeded).</summary>
public sealed record SeedProgramme : ICitedSeedRow
{
    public required string Id { get; init; }
    /// <summary>The pledged measure it keeps the ledger of; its description is the name unless <see cref="Name"/> is given.</summary>
    public string? Measure { get; init; }
    public LocalizedText? Name { get; init; }
    public List<string> Translated { get; init; } = [];
    public string? Unit { get; init; }
    public decimal Pledged { get; init; }
    public required string PledgedBy { get; init; }
    public string? Meeting { get; init; }
    public string? AnnouncedOn { get; init; }
    /// <summary>Days (YYYY-MM-DD), as the sources allow; absent when they give none.</summary>
    public SeedPeriod? Period { get; init; }
    public LocalizedText? PeriodNote { get; init; }
    public string? Body { get; init; }
    public List<SeedCitation> Citations { get; init; } = [];
}
