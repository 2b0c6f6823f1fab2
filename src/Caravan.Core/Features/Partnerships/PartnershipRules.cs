using System.Text.RegularExpressions;
using Caravan.Features.Mechanism;
using Caravan.Features.Submissions;
using Caravan.Shared;

namespace Caravan.Features.Partnerships;

/// <summary>
/// The partnership rules, pure: ids, what each kind needs, dates, duplicates, and the yearly count of pairs.
/// </summary>
public static partial class PartnershipRules
{
    /// <summary>The two states an id names (upper case), or an error code: the id decides whose record it is.</summary>
    public static (string A, string B, MessageCode? Error) StatesOf(string id)
    {
        if (id.Length > 100 || !IdPattern().IsMatch(id)) return ("", "", PartnershipMessages.BadId);
        var a = id[..2].ToUpperInvariant();
        var b = id[3..5].ToUpperInvariant();
        if (!MemberState.Codes.Contains(a) || !MemberState.Codes.Contains(b))
            return (a, b, PartnershipMessages.UnknownState);
        if (a == b) return (a, b, PartnershipMessages.SameState);
        return (a, b, null);
    }

    /// <summary>
    /// What is wrong with a partnership as it would be stored: each problem names its field. Dates known only to
    /// the month or year are compared by what they can mean, so "2023" is not "before" "2023-05".
    /// </summary>
    public static List<FieldError> Problems(Partnership p, DateOnly today)
    {
        var errors = new List<FieldError>();
        var hostsInstitution = p.Kind is PartnershipKind.LubanWorkshop or PartnershipKind.CulturalCentre;
        if ((p.IsPair || hostsInstitution) && IsBlank(p.PlaceA))
            errors.Add(new("place-a.en", PartnershipMessages.PlaceRequired, p.StateA));
        if (p.IsPair && IsBlank(p.PlaceB)) errors.Add(new("place-b.en", PartnershipMessages.PlaceRequired, p.StateB));
        if (hostsInstitution && IsBlank(p.Institution))
            errors.Add(new("institution.en", PartnershipMessages.InstitutionRequired));
        if (p.Kind == PartnershipKind.VisaArrangement && IsBlank(p.Terms))
            errors.Add(new("terms.en", PartnershipMessages.TermsRequired));
        Coordinates(errors, "a", p.PlaceA, p.LatitudeA, p.LongitudeA);
        Coordinates(errors, "b", p.PlaceB, p.LatitudeB, p.LongitudeB);

        if (p.Status == PartnershipStatus.Operating && !hostsInstitution || p.Status == PartnershipStatus.InForce
            && hostsInstitution)
            errors.Add(new("status", PartnershipMessages.StatusForKind));
        if (p.AgreedOn is { } agreed && p.StartedOn is { } started && started.Latest < agreed.Earliest)
            errors.Add(new("started-on", PartnershipMessages.StartBeforeAgreement, agreed.ToIso()));
        if (p.EndedOn is { } ended)
        {
            if ((p.StartedOn ?? p.AgreedOn) is { } from && ended.Latest < from.Earliest)
                errors.Add(new("ended-on", PartnershipMessages.EndBeforeStart, from.ToIso()));
            else if (p.Status is not (PartnershipStatus.Suspended or PartnershipStatus.Ended))
                errors.Add(new("ended-on", PartnershipMessages.EndWithoutStatus));
            else if (ended.Earliest > today) errors.Add(new("ended-on", PartnershipMessages.InFuture));
        }
        // "In force" or "operating" says it has begun: a start still to come contradicts it.
        if (p.Status is PartnershipStatus.InForce or PartnershipStatus.Operating && p.StartedOn is { } start
            && start.Earliest > today)
            errors.Add(new("started-on", PartnershipMessages.InFuture));
        if (p.Status != PartnershipStatus.Planned && p.AgreedOn is { } signed && signed.Earliest > today)
            errors.Add(new("agreed-on", PartnershipMessages.InFuture));
        return errors;
    }

    private static void Coordinates(List<FieldError> errors, string side, LocalizedText? place, decimal? latitude,
        decimal? longitude)
    {
        if (latitude is < -90m or > 90m) errors.Add(new($"latitude-{side}", PartnershipMessages.Latitude));
        if (longitude is < -180m or > 180m) errors.Add(new($"longitude-{side}", PartnershipMessages.Longitude));
        if (latitude.HasValue != longitude.HasValue)
            errors.Add(
                new(latitude.HasValue ? $"longitude-{side}" : $"latitude-{side}",
                    PartnershipMessages.CoordinatesIncomplete));
        else if (latitude.HasValue && IsBlank(place))
            errors.Add(new($"place-{side}.en", PartnershipMessages.CoordinatesWithoutPlace));
    }

    /// <summary>
    /// The recorded partnership this one repeats, if any: the same pair of places (in either order, by a name in
    /// any language), the same host institution, or — for a visa arrangement — the same two states, unless the
    /// earlier one has ended (a renewed arrangement is a new record).
    /// </summary>
    public static Partnership? DuplicateOf(Partnership p, IEnumerable<Partnership> others) => others.FirstOrDefault(o =>
        o.Id != p.Id && o.Kind == p.Kind && o.Status != PartnershipStatus.Ended && p.Kind switch
        {
            PartnershipKind.VisaArrangement => SameStates(o, p),
            PartnershipKind.LubanWorkshop or PartnershipKind.CulturalCentre => o.StateA == p.StateA
                && SameName(o.Institution, p.Institution),
            _ => o.StateA == p.StateA && o.StateB == p.StateB && SameName(o.PlaceA, p.PlaceA)
                && SameName(o.PlaceB, p.PlaceB)
                 || o.StateA == p.StateB && o.StateB == p.StateA && SameName(o.PlaceA, p.PlaceB)
                     && SameName(o.PlaceB, p.PlaceA),
        });

    private static bool SameStates(Partnership x, Partnership y) =>
        x.StateA == y.StateA && x.StateB == y.StateB || x.StateA == y.StateB && x.StateB == y.StateA;

    private static bool SameName(LocalizedText? x, LocalizedText? y) =>
        x is not null && y is not null && LocalizedText.Languages.Any(l =>
            !string.IsNullOrWhiteSpace(x[l])
                && string.Equals(x[l]!.Trim(), y[l]?.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The name shown: its own, else the two places ("Oskemen – Tianjin"), else the host institution, else the states.
    /// </summary>
    public static LocalizedText TitleOf(Partnership p)
    {
        if (!IsBlank(p.Name)) return p.Name!;
        if (!IsBlank(p.PlaceA) && !IsBlank(p.PlaceB)) return Join(p.PlaceA!, p.PlaceB!);
        if (!IsBlank(p.Institution)) return p.Institution!;
        if (!IsBlank(p.PlaceA)) return p.PlaceA!;
        var states = $"{p.StateA}–{p.StateB}";
        return new LocalizedText { En = states, Ru = states, Zh = states };
    }

    private static LocalizedText Join(LocalizedText a, LocalizedText b)
    {
        string? Pair(string l) => a[l] is { } x && b[l] is { } y ? $"{x} – {y}" : null;
        return new LocalizedText { En = Pair("en") ?? $"{a.Pick("en")} – {b.Pick("en")}", Ru = Pair("ru"),
            Zh = Pair("zh") };
    }

    /// <summary>
    /// How many recorded sister-city and sister-province pairs stood at the end of each year: agreed (or, lacking
    /// that date, started) by then and not yet ended. A pair whose date is not known counts only in the latest
    /// year, which is "now": it exists, but no earlier year can claim it. Planned pairs are not pairs yet.
    /// </summary>
    public static IReadOnlyList<int> RecordedPairsByYear(IEnumerable<Partnership> partnerships,
        IReadOnlyList<int> years)
    {
        var pairs = partnerships.Where(p => p.IsPair && p.Status != PartnershipStatus.Planned).ToList();
        var last = years.Count == 0 ? 0 : years[^1];
        return [.. years.Select(year => pairs.Count(p =>
        {
            var from = p.AgreedOn ?? p.StartedOn;
            var begun = from is { } f ? f.Year <= year : year == last;
            var ended = p.EndedOn is { } e
                ? e.Year <= year
                : p.Status is PartnershipStatus.Ended or PartnershipStatus.Suspended && year == last;
            return begun && !ended;
        }))];
    }

    private static bool IsBlank(LocalizedText? text) => text is null || text.IsEmpty;

    [GeneratedRegex("^[a-z]{2}-[a-z]{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")]
    private static partial Regex IdPattern();
}

/// <summary>Why a partnership's values are refused.</summary>
public static class PartnershipMessages
{
    public static readonly MessageCode BadId = new("partnership.bad-id");
    public static readonly MessageCode CoordinatesIncomplete = new("partnership.coordinates-incomplete");
    public static readonly MessageCode CoordinatesWithoutPlace = new("partnership.coordinates-without-place");
    public static readonly MessageCode EndBeforeStart = new("partnership.end-before-start");
    public static readonly MessageCode EndWithoutStatus = new("partnership.end-without-status");
    public static readonly MessageCode InFuture = new("partnership.in-future");
    public static readonly MessageCode InstitutionRequired = new("partnership.institution-required");
    public static readonly MessageCode Latitude = new("partnership.latitude");
    public static readonly MessageCode Longitude = new("partnership.longitude");
    public static readonly MessageCode PlaceRequired = new("partnership.place-required");
    public static readonly MessageCode SameState = new("partnership.same-state");
    public static readonly MessageCode StartBeforeAgreement = new("partnership.start-before-agreement");
    public static readonly MessageCode StatusForKind = new("partnership.status-for-kind");
    public static readonly MessageCode TermsRequired = new("partnership.terms-required");
    public static readonly MessageCode UnknownState = new("partnership.unknown-state");
}
