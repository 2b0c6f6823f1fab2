using Caravan.Features.Partnerships;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Tests.Unit;

/// <summary>The partnership rules as plain methods: ids, what each kind needs, dates, duplicates, and the yearly count of pairs.</summary>
public sealed class PartnershipRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);

    private static LocalizedText En(string text) => new() { En = text };

    private static Partnership Pair(string id = "kz-cn-a-b", string placeA = "Alpha", string placeB = "Beta", string? agreed = "2023-05", PartnershipStatus status = PartnershipStatus.Signed)
    {
        var (a, b, _) = PartnershipRules.StatesOf(id);
        return new Partnership
        {
            Id = id, StateA = a, StateB = b, Kind = PartnershipKind.SisterCities, Status = status, PlaceA = En(placeA), PlaceB = En(placeB),
            AgreedOn = agreed is null ? null : PartialDate.Parse(agreed),
        };
    }

    private static string[] Codes(Partnership p) => [.. PartnershipRules.Problems(p, Today).Select(e => $"{e.Field}:{e.Message.Code.Key}")];

    [Theory]
    [InlineData("kz-cn-oskemen", "KZ", "CN", null)]
    [InlineData("tj-cn-luban-workshop-dushanbe", "TJ", "CN", null)]
    [InlineData("xx-cn-somewhere", "XX", "CN", "partnership.unknown-state")]
    [InlineData("kz-kz-almaty", "KZ", "KZ", "partnership.same-state")]
    [InlineData("kz-cn", "", "", "partnership.bad-id")]
    [InlineData("KZ-CN-upper", "", "", "partnership.bad-id")]
    [InlineData("kz-cn-two--hyphens", "", "", "partnership.bad-id")]
    public void The_id_names_the_two_member_states(string id, string a, string b, string? error)
    {
        var (sa, sb, e) = PartnershipRules.StatesOf(id);
        Assert.Equal(error, e?.Key);
        if (error != "partnership.bad-id") Assert.Equal((a, b), (sa, sb));
    }

    [Fact]
    public void A_valid_pair_has_no_problems_and_each_kind_needs_its_own_facts()
    {
        Assert.Empty(Codes(Pair()));
        Assert.Equal(["place-b.en:partnership.place-required"], Codes(Pair().Changed(p => p.PlaceB = null)));
        Assert.Equal(["place-a.en:partnership.place-required"], Codes(Pair().Changed(p => p.PlaceA = new LocalizedText { En = " " })));
        var workshop = new Partnership { Id = "kg-cn-w", StateA = "KG", StateB = "CN", Kind = PartnershipKind.LubanWorkshop, Status = PartnershipStatus.Operating };
        Assert.Equal(["place-a.en:partnership.place-required", "institution.en:partnership.institution-required"], Codes(workshop));
        var visa = new Partnership { Id = "cn-kz-v", StateA = "CN", StateB = "KZ", Kind = PartnershipKind.VisaArrangement, Status = PartnershipStatus.InForce };
        Assert.Equal(["terms.en:partnership.terms-required"], Codes(visa));
        // "Operating" is a workshop's word, "in force" an agreement's.
        visa.Terms = En("30 days");
        visa.Status = PartnershipStatus.Operating;
        Assert.Equal(["status:partnership.status-for-kind"], Codes(visa));
    }

    [Fact]
    public void Coordinates_are_on_the_globe_given_in_pairs_and_belong_to_a_named_place()
    {
        Assert.Equal(["latitude-a:partnership.latitude"], Codes(Pair().Changed(p => { p.LatitudeA = 95m; p.LongitudeA = 10m; })));
        Assert.Equal(["longitude-b:partnership.longitude"], Codes(Pair().Changed(p => { p.LatitudeB = 45m; p.LongitudeB = -180.5m; })));
        Assert.Equal(["longitude-a:partnership.coordinates-incomplete"], Codes(Pair().Changed(p => p.LatitudeA = 45m)));
        Assert.Empty(Codes(Pair().Changed(p => { p.LatitudeA = -90m; p.LongitudeA = 180m; })));
        var workshop = new Partnership { Id = "kg-cn-w", StateA = "KG", StateB = "CN", Kind = PartnershipKind.LubanWorkshop, Status = PartnershipStatus.Operating, PlaceA = En("Bishkek"), Institution = En("KSTU"), LatitudeB = 39m, LongitudeB = 117m };
        Assert.Equal(["place-b.en:partnership.coordinates-without-place"], Codes(workshop));
    }

    [Fact]
    public void Dates_follow_the_lifecycle_at_the_precision_known()
    {
        Assert.Equal(["started-on:partnership.start-before-agreement"], Codes(Pair().Changed(p => p.StartedOn = PartialDate.Parse("2023-04-30"))));
        // "2023" may be May 2023 or later: not before.
        Assert.Empty(Codes(Pair().Changed(p => p.StartedOn = PartialDate.Parse("2023"))));
        Assert.Equal(["ended-on:partnership.end-before-start"], Codes(Pair(status: PartnershipStatus.Ended).Changed(p => { p.StartedOn = PartialDate.Parse("2024-05"); p.EndedOn = PartialDate.Parse("2023"); })));
        Assert.Equal(["ended-on:partnership.end-without-status"], Codes(Pair().Changed(p => p.EndedOn = PartialDate.Parse("2025"))));
        Assert.Empty(Codes(Pair(status: PartnershipStatus.Suspended).Changed(p => p.EndedOn = PartialDate.Parse("2025"))));
        Assert.Equal(["ended-on:partnership.in-future"], Codes(Pair(status: PartnershipStatus.Ended).Changed(p => p.EndedOn = PartialDate.Parse("2027"))));
        Assert.Equal(["agreed-on:partnership.in-future"], Codes(Pair(agreed: "2026-12-01")));
        Assert.Empty(Codes(Pair(agreed: "2026-12-01", status: PartnershipStatus.Planned)));
        var visa = new Partnership { Id = "cn-kz-v", StateA = "CN", StateB = "KZ", Kind = PartnershipKind.VisaArrangement, Status = PartnershipStatus.InForce, Terms = En("30 days"), StartedOn = PartialDate.Parse("2027-01") };
        Assert.Equal(["started-on:partnership.in-future"], Codes(visa));
    }

    [Fact]
    public void A_duplicate_is_the_same_places_in_either_order_in_any_language_unless_the_earlier_one_ended()
    {
        var stored = Pair("kz-cn-alpha-beta", "Alpha", "Beta").Changed(p => p.PlaceB = new LocalizedText { En = "Beta", Zh = "贝塔" });
        Assert.Equal(stored.Id, PartnershipRules.DuplicateOf(Pair("cn-kz-beta-alpha", "beta ", "ALPHA"), [stored])?.Id);
        Assert.Equal(stored.Id, PartnershipRules.DuplicateOf(Pair("kz-cn-x").Changed(p => p.PlaceB = new LocalizedText { Zh = "贝塔" }), [stored])?.Id);
        Assert.Null(PartnershipRules.DuplicateOf(Pair("kz-cn-alpha-gamma", "Alpha", "Gamma"), [stored]));
        Assert.Null(PartnershipRules.DuplicateOf(stored, [stored])); // itself, being edited
        Assert.Null(PartnershipRules.DuplicateOf(Pair("kz-cn-again", "Alpha", "Beta"), [Pair("kz-cn-alpha-beta", "Alpha", "Beta", status: PartnershipStatus.Ended)]));
        var visa = new Partnership { Id = "cn-kz-visa", StateA = "CN", StateB = "KZ", Kind = PartnershipKind.VisaArrangement, Status = PartnershipStatus.InForce };
        Assert.Equal("cn-kz-visa", PartnershipRules.DuplicateOf(new Partnership { Id = "kz-cn-visa-2", StateA = "KZ", StateB = "CN", Kind = PartnershipKind.VisaArrangement }, [visa])?.Id);
        Assert.Null(PartnershipRules.DuplicateOf(new Partnership { Id = "uz-cn-visa", StateA = "UZ", StateB = "CN", Kind = PartnershipKind.VisaArrangement }, [visa]));
    }

    [Fact]
    public void Recorded_pairs_are_counted_from_the_year_agreed_until_the_year_ended_and_undated_ones_only_now()
    {
        int[] years = [2022, 2023, 2024, 2025, 2026];
        var pairs = new[]
        {
            Pair("kz-cn-a", agreed: "2022-03"),
            Pair("kg-cn-b", agreed: null).Changed(p => p.StartedOn = PartialDate.Parse("2024")),
            Pair("uz-cn-c", agreed: "2023", status: PartnershipStatus.Ended).Changed(p => p.EndedOn = PartialDate.Parse("2025-02")),
            Pair("tj-cn-d", agreed: null),
            Pair("tm-cn-e", agreed: "2022", status: PartnershipStatus.Planned),
            new Partnership { Id = "cn-kz-v", StateA = "CN", StateB = "KZ", Kind = PartnershipKind.VisaArrangement, Status = PartnershipStatus.InForce, AgreedOn = PartialDate.Parse("2023") },
        };
        Assert.Equal([1, 2, 3, 2, 3], PartnershipRules.RecordedPairsByYear(pairs, years));
    }

    [Fact]
    public void The_title_is_the_name_else_the_two_places_else_the_institution_else_the_states()
    {
        Assert.Equal("Alpha – Beta", PartnershipRules.TitleOf(Pair()).En);
        Assert.Equal("N", PartnershipRules.TitleOf(Pair().Changed(p => p.Name = En("N"))).En);
        var workshop = new Partnership { Id = "kg-cn-w", StateA = "KG", StateB = "CN", Institution = En("KSTU") };
        Assert.Equal("KSTU", PartnershipRules.TitleOf(workshop).En);
        Assert.Equal("CN–KZ", PartnershipRules.TitleOf(new Partnership { Id = "cn-kz-v", StateA = "CN", StateB = "KZ" }).Ru);
    }
}

/// <summary>The dataset's partnerships are checked by the same rules before anything is loaded, each problem at its path.</summary>
public sealed class PartnershipSeedTests
{
    /// <summary>A signed pair whose places are the id's two last words ("kz-cn-alpha-beta": Alpha, Beta).</summary>
    private static SeedPartnership Row(string id) => new()
    {
        Id = id, Kind = "sister-cities", Status = "signed", PlaceA = new LocalizedText { En = id.Split('-')[2] }, PlaceB = new LocalizedText { En = id.Split('-')[^1] },
        Citations = [new SeedCitation("s", "high")],
    };

    private static IReadOnlyList<SeedProblem> Validate(params SeedPartnership[] rows) => SeedValidator.Validate(new SeedDataset
    {
        Dataset = "cca-mechanism", Version = 1, Sources = new() { ["s"] = new SeedSource("https://example.org/s", "S", "en") }, Partnerships = [.. rows],
    });

    [Fact]
    public void A_valid_partnership_passes_and_each_bad_one_is_named_by_its_path()
    {
        Assert.Empty(Validate(Row("kz-cn-alpha-beta")));
        var problems = Validate(
            Row("kz-cn-alpha-beta"),
            Row("xx-cn-alpha-gamma"),
            Row("kz-cn-gamma-delta") with { LatitudeA = 95m, LongitudeA = 70m },
            Row("cn-kz-beta-alpha") with { PlaceB = new LocalizedText { En = "ALPHA" } },
            Row("kg-cn-epsilon-omega") with { PlaceB = null },
            Row("tj-cn-zeta-eta") with { Citations = [] },
            Row("uz-cn-theta-iota") with { StartedOn = "2024", EndedOn = "2023", Status = "ended" });
        Assert.Equal(["$.partnerships[1].id", "$.partnerships[2].latitudeA", "$.partnerships[3]", "$.partnerships[4].placeB", "$.partnerships[5].citations", "$.partnerships[6].endedOn"],
            problems.Select(p => p.Path));
        Assert.Contains("kz-cn-alpha-beta", problems[2].Reason);
    }
}

/// <summary>Changes a test record in place and returns it, so a case reads as one expression.</summary>
internal static class PartnershipTestExtensions
{
    public static Partnership Changed(this Partnership p, Action<Partnership> change)
    {
        change(p);
        return p;
    }
}
