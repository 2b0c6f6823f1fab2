using Caravan.Shared;

namespace Caravan.Features.Programmes;

/// <summary>
/// A pledged quantity shared among the member states — a grant in CNY or USD, training places,
/// scholarships — kept as a ledger. The pledge is the seed's (with its sources); what happens to it is
/// in <see cref="ProgrammeEntry"/> rows, from which every balance is derived.
/// </summary>
public sealed class Programme : IVersioned
{
    public required string Id { get; set; }
    public required LocalizedText Name { get; set; }
    public List<string> Translated { get; set; } = [];
    public ProgrammeKind Kind { get; set; }
    /// <summary><c>CNY</c>, <c>USD</c>, <c>training-places</c> or <c>scholarships</c>.</summary>
    public required string Unit { get; set; }
    public decimal Pledged { get; set; }
    public required string PledgedById { get; set; }
    public string? MeetingId { get; set; }
    public PartialDate? AnnouncedOn { get; set; }
    /// <summary>The period entries may be dated in; null where the sources do not give it.</summary>
    public DateOnly? PeriodFrom { get; set; }
    public DateOnly? PeriodTo { get; set; }
    /// <summary>How the period was read from the sources ("over three years" from the announcement…).</summary>
    public LocalizedText? PeriodNote { get; set; }
    /// <summary>
    /// The platform or centre that runs it, whose officers record its entries; null: the secretariat only.
    /// </summary>
    public string? BodyId { get; set; }
    /// <summary>The pledged measure this programme keeps the ledger of.</summary>
    public string? MeasureId { get; set; }
    public int Version { get; set; }

    /// <summary>
    /// The dates an entry may carry: the stated period; where none is stated, from the announcement on
    /// (nothing can be spent on a pledge before it is made).
    /// </summary>
    public (DateOnly From, DateOnly To) EntryWindow =>
        (PeriodFrom ?? AnnouncedOn?.Earliest ?? DateOnly.MinValue, PeriodTo ?? DateOnly.MaxValue);

    public static ProgrammeKind KindOf(string unit) => unit is { Length: 3 } u && u.All(char.IsUpper)
        ? ProgrammeKind.Money
        : ProgrammeKind.Places;

    /// <summary>The units a programme can be kept in.</summary>
    public static readonly IReadOnlyList<string> Units = ["CNY", "USD", "training-places", "scholarships"];
}

/// <summary>
/// One dated line of a programme's ledger. Published entries are never edited: a correction is another
/// entry with a negative quantity and its reason.
/// </summary>
public sealed class ProgrammeEntry : IVersioned
{
    /// <summary>
    /// The record kind entries are proposed and published through (<c>/api/v1/records/programme-entries</c>).
    /// </summary>
    public const string RecordKind = "programme-entries";

    /// <summary><c>{programme}:{state}:{suffix}</c>: the id says whose entry it is.</summary>
    public required string Id { get; set; }
    public required string ProgrammeId { get; set; }
    public LedgerEntryKind Kind { get; set; }
    public required string StateId { get; set; }
    /// <summary>The year of the allocation the entry belongs to.</summary>
    public int Year { get; set; }
    public DateOnly On { get; set; }
    public decimal Quantity { get; set; }
    public LocalizedText? Note { get; set; }
    public string? EvidenceUrl { get; set; }
    /// <summary>
    /// The secretariat took a balance past its limit on purpose; <see cref="OverrideReason"/> says why.
    /// </summary>
    public bool Override { get; set; }
    public string? OverrideReason { get; set; }
    /// <summary>
    /// Who recorded it (the author of the submission, or the secretariat member who wrote it) and in which role.
    /// </summary>
    public required string RecordedBy { get; set; }
    public required string RecordedRole { get; set; }
    public int Version { get; set; }

    public LedgerEntry ToLedger() => new(Kind, StateId, Year, On, Quantity, Override);

    public static string KeyOf(string programme, string state, string suffix) => $"{programme}:{state}:{suffix}";
}
