using System.Text.Json;
using System.Text.Json.Serialization;
using Caravan.Features.Commitments;
using Caravan.Shared;

namespace Caravan.Features.Reports;

/// <summary>
/// Everything the summit progress report says, read once from the published data for one snapshot, in no language
/// (names are <see cref="LocalizedText"/>, dates ISO, numbers raw). Frozen as canonical JSON the first time a report of
/// the snapshot is asked for (<see cref="ReportFactsStore"/>): the snapshot's items are frozen at its close, but
/// ledgers, treaties, partnerships and projects are live tables, and a report must not change after it is given.
/// </summary>
public sealed record ReportFacts
{
    /// <summary>Raised when the facts' shape changes: a stored row of an older shape is read as it was written.</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string SnapshotId { get; init; }
    public required LocalizedText PeriodName { get; init; }
    /// <summary>The meeting the period closed at, if the snapshot names one.</summary>
    public FactMeeting? Meeting { get; init; }
    /// <summary>The day the snapshot was taken (its scores stand at this day).</summary>
    public required DateOnly SnapshotOn { get; init; }
    /// <summary>The day the live tables were read (the cover says it when it differs from <see cref="SnapshotOn"/>).</summary>
    public required DateOnly FactsOn { get; init; }
    /// <summary>Null for a report of published data; the state whose draft (unpublished values) this is.</summary>
    public string? DraftOf { get; init; }
    public FactPeriod? Previous { get; init; }
    public required IReadOnlyList<FactName> States { get; init; }
    public required IReadOnlyList<FactName> Directions { get; init; }
    public required IReadOnlyList<FactCommitment> Commitments { get; init; }
    public required IReadOnlyList<FactMilestone> Milestones { get; init; }
    /// <summary>Changes since the previous snapshot, commitment by commitment (empty when there is none).</summary>
    public required IReadOnlyList<FactChange> Changes { get; init; }
    public required IReadOnlyList<FactTreaty> Treaties { get; init; }
    public required IReadOnlyList<FactProgramme> Programmes { get; init; }
    public required FactPartnerships Partnerships { get; init; }
    /// <summary>The projects' money in each currency the rates reach, so that any of them can be chosen later.</summary>
    public required IReadOnlyList<FactProjects> Projects { get; init; }
    public FactRound? Round { get; init; }
    /// <summary>Every source a fact above names, by id.</summary>
    public required IReadOnlyList<FactSource> Sources { get; init; }

    private static readonly JsonSerializerOptions Canonical = new()
    {
        WriteIndented = false,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The facts as canonical JSON: the same facts always give the same bytes.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Canonical);

    public static ReportFacts FromJson(string json) => JsonSerializer.Deserialize<ReportFacts>(json, Canonical)
        ?? throw new InvalidOperationException("Stored report facts are empty.");
}

public sealed record FactName(string Id, LocalizedText Name);

public sealed record FactPeriod(string SnapshotId, LocalizedText Name);

public sealed record FactMeeting(string Id, LocalizedText Name, string? Date);

/// <summary>
/// A commitment as the snapshot holds it: status and collective score frozen at the close; its text, parties and
/// deadline as published; each party's assessment of the period with its evidence and sources.
/// </summary>
public sealed record FactCommitment(
    string Id, LocalizedText Text, bool TextIsSummary, string? DirectionId, IReadOnlyList<string> Parties,
    string? Deadline, bool Counts, CommitmentStatus Status, double? Collective,
    IReadOnlyList<FactAssessment> Assessments, IReadOnlyList<string> Sources)
{
    /// <summary>Past its deadline on <paramref name="on"/> and not complied (a counted commitment only).</summary>
    public bool LateOn(DateOnly on) => Counts && Status != CommitmentStatus.Complied
        && Deadline is { } d && PartialDate.TryParse(d, out var date) && date.Latest < on;
}

/// <summary>One party's score and evidence; Draft: the party's own proposal, not published (a draft report only).</summary>
public sealed record FactAssessment(string StateId, int Score, LocalizedText Evidence, string? EvidenceUrl,
    string? AssessedOn, IReadOnlyList<string> Sources, bool Draft = false);

public sealed record FactMilestone(string Id, string CommitmentId, string? StateId, LocalizedText Title, string? Due,
    string? AchievedOn, MilestoneStatus Status, IReadOnlyList<string> Sources);

public sealed record FactChange(string CommitmentId, SnapshotChange Change, CommitmentStatus? Before,
    CommitmentStatus? After);

public sealed record FactTreaty(string Id, LocalizedText Title, string? SignedOn, Treaties.TreatyStatus Status,
    string? EntryIntoForce, IReadOnlyList<FactTreatyParty> Parties, IReadOnlyList<string> Sources);

/// <summary>One party's row: its signature, its last ratification step and the date it is bound from.</summary>
public sealed record FactTreatyParty(string StateId, string? SignedOn, Treaties.RatificationStepKind? LastStep,
    string? LastStepOn, string? InstrumentOn, string? InForceOn);

public sealed record FactProgramme(string Id, LocalizedText Name, string Unit, string PledgedBy, decimal Pledged,
    decimal Allocated, IReadOnlyList<Programmes.LedgerEntryKind> Stages, IReadOnlyList<decimal> StageTotals,
    IReadOnlyList<FactProgrammeState> States, IReadOnlyList<string> Sources);

public sealed record FactProgrammeState(string StateId, decimal Allocated, IReadOnlyList<decimal> Stages);

/// <summary>Sister-city pairs year by year: reported by sources (null: none gave a figure), recorded, the target.</summary>
public sealed record FactPartnerships(IReadOnlyList<FactPairYear> Years, int RecordedNow, decimal? Target,
    string? TargetSetOn, IReadOnlyList<string> ReportedSources, IReadOnlyList<string> TargetSources);

public sealed record FactPairYear(int Year, decimal? Reported, int Recorded, decimal? Target,
    IReadOnlyList<string> Sources);

/// <summary>The projects' outgoing commitments (IATI type 2) in one currency, and the rates that converted them.</summary>
public sealed record FactProjects(string Currency, decimal Total, int Transactions,
    IReadOnlyList<FactMoneyLine> ByState, IReadOnlyList<FactMoneyLine> ByDirection,
    IReadOnlyList<FactMoneyLine> Unconverted, IReadOnlyList<FactRate> Rates, int UmbrellasExcluded);

/// <summary>A line of the totals; Key null: what no state (or direction) takes.</summary>
public sealed record FactMoneyLine(string? Key, decimal Amount, int Transactions);

public sealed record FactRate(string Source, string From, string To, DateOnly FirstOn, DateOnly LastOn, int Rates);

/// <summary>The round that closed into the snapshot, and each state's tasks in it (as frozen at the close).</summary>
public sealed record FactRound(string Id, LocalizedText Name, string DueOn, IReadOnlyList<FactRoundState> States);

public sealed record FactRoundState(string StateId, int Requested, int Overdue, int Submitted, int Validated);

public sealed record FactSource(string Id, string Title, string? Url, string? Date);
