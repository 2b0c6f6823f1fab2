using System.Globalization;
using System.Text;
using System.Xml;

namespace Caravan.Benchmarks;

/// <summary>
/// Writes a synthetic but realistic IATI 2.03 activities file for benchmarks: China–Central Asia cooperation
/// projects with narratives in English, Russian and Chinese. Every activity validates against the official
/// 2.03 XSD (children written in the order of its xs:sequence, where order is part of validity: location before
/// sector, document-link and related-activity after transaction, result near the end) and is
/// clean under the Standard's rules: percentages sum to 100 per vocabulary (countries and regions together),
/// dates in order, codes from the codelists, identifiers prefixed by the reporting organisation, budget periods
/// of at most a year, and nothing actual (start, end, transaction, value date) after <see cref="AsOf"/>.
/// It streams through an XmlWriter, so memory stays constant whatever the count, and the bytes depend only on
/// the count and the seed. Also compiled into the tests (linked), so it uses nothing but the BCL.
/// </summary>
/// <remarks>
/// Organisation identifiers use the prefixes of the IATI OrganisationRegistrationAgency codelist, but the numbers
/// after them are made up. City coordinates are real; the GeoNames ids are given from memory, not checked.
/// </remarks>
public static class IatiFileGenerator
{
    /// <summary>The data's "today". Fixed rather than the clock, so that a seed always gives the same bytes.</summary>
    public static readonly DateOnly AsOf = new(2025, 10, 31);

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private const string XmlNamespace = "http://www.w3.org/XML/1998/namespace";

    /// <summary>Writes <paramref name="activities"/> activities (at least one: the schema requires it) to <paramref name="output"/>, which stays open.</summary>
    /// <param name="firstIndex">
    /// Position of the first activity in the numbering of identifiers. Files generated with consecutive ranges
    /// (0, n, 2n…) never share an identifier, whatever their seeds, so they can be imported side by side as
    /// several publishers' files; identifiers depend on the position, so different seeds alone would collide.
    /// The default, 0, writes exactly what the two-argument form always wrote.
    /// </param>
    public static void Write(Stream output, int activities, int seed = 42, int firstIndex = 0)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(activities, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(firstIndex);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            Indent = false, // whitespace would be a tenth of the file; each activity starts a line instead
            CloseOutput = false,
        };
        using var w = XmlWriter.Create(output, settings);
        var random = new Random(seed);
        w.WriteStartDocument();
        w.WriteStartElement("iati-activities");
        w.WriteAttributeString("version", "2.03");
        w.WriteAttributeString("generated-datetime", AsOf.ToString("yyyy-MM-dd", Invariant) + "T18:00:00Z");

        // Activities come in groups sharing a reporting organisation: a single project, or an umbrella
        // programme followed by its 2–4 sub-projects, so that parent and child identifiers are known when written.
        var end = firstIndex + activities;
        var group = new Group(firstIndex, firstIndex, 0, Publishers[0]);
        for (var i = firstIndex; i < end; i++)
        {
            if (i >= group.End)
            {
                var publisher = Publishers[random.Next(Publishers.Length)];
                var children = end - i >= 3 && random.NextDouble() < 0.12 ? Math.Min(random.Next(2, 5), end - i - 1) : 0;
                group = new Group(i, i + 1 + children, children, publisher);
            }
            w.WriteWhitespace("\n");
            WriteActivity(w, random, i, group);
        }
        w.WriteWhitespace("\n");
        w.WriteEndElement();
        w.WriteEndDocument();
    }

    /// <summary>The identifier of the activity at a zero-based position: its publisher's ref, a dash and a project number.</summary>
    public static string Identifier(string reportingOrgRef, int index) => $"{reportingOrgRef}-{index + 1:D6}";

    private sealed record Group(int Start, int End, int Children, Org Publisher)
    {
        public bool IsParent(int i) => Children > 0 && i == Start;
        public bool IsChild(int i) => Children > 0 && i > Start;
    }

    private static void WriteActivity(XmlWriter w, Random random, int index, Group group)
    {
        var publisher = group.Publisher;
        var id = Identifier(publisher.Ref, index);
        var theme = Themes[random.Next(Themes.Length)];

        // Where: 1–3 countries, the first the main one; sometimes the Central Asia region as well.
        var countryCount = Pick(random, 60, 30, 10) + 1;
        var countries = new List<Country>(3);
        while (countries.Count < countryCount)
        {
            var c = Countries[Pick(random, CountryWeights)];
            if (!countries.Contains(c)) countries.Add(c);
        }
        var withRegion = random.NextDouble() < 0.15;
        var shares = Split(random, countries.Count + (withRegion ? 1 : 0));
        var city = RandomCity(random, countries[0]);
        var secondCity = RandomCity(random, countries.Count > 1 ? countries[1] : countries[0], city);
        var magnitude = random.Next(theme.Min, theme.Max + 1).ToString(Invariant);

        var currency = DefaultCurrency(random, publisher, countries[0]);
        var rate = Rates[currency];
        var totalUsd = Math.Pow(10, 5.5 + (2.5 * random.NextDouble())); // 0.3–100 million dollars

        // When: consistent with the status, nothing actual after AsOf.
        var status = Pick(random, 6, 52, 10, 27, 5) + 1;
        var duration = random.Next(540, 2191);
        DateOnly plannedStart;
        DateOnly? actualStart = null, actualEnd = null;
        switch (status)
        {
            case 1: // pipeline: planned only
                plannedStart = AsOf.AddDays(random.Next(30, 541));
                break;
            case 2: // implementation: started, not ended
                actualStart = AsOf.AddDays(-random.Next(60, 2001));
                plannedStart = actualStart.Value.AddDays(-random.Next(-20, 121));
                break;
            default: // finalisation, closed or cancelled: started and ended
                var end = AsOf.AddDays(-random.Next(status == 3 ? 10 : 90, status == 3 ? 200 : 2500));
                var ran = status == 5 ? random.Next(60, duration / 2) : duration + random.Next(-90, 181);
                actualEnd = end;
                actualStart = end.AddDays(-ran);
                plannedStart = actualStart.Value.AddDays(-random.Next(-20, 121));
                break;
        }
        var plannedEnd = plannedStart.AddDays(duration);
        if (status == 2 && plannedEnd <= AsOf) plannedEnd = AsOf.AddDays(random.Next(30, 721));

        var funder = publisher.Funder ? publisher : ChineseFunders[random.Next(ChineseFunders.Length)];
        var implementer = Implementers[theme.Implementers[random.Next(theme.Implementers.Length)]];

        w.WriteStartElement("iati-activity");
        w.WriteAttributeString("last-updated-datetime", Stamp(AsOf.AddDays(-random.Next(1, 400)), random));
        w.WriteAttributeString("xml", "lang", XmlNamespace, "en");
        w.WriteAttributeString("default-currency", currency);
        w.WriteAttributeString("hierarchy", group.IsChild(index) ? "2" : "1");

        w.WriteElementString("iati-identifier", id);
        WriteOrg(w, "reporting-org", publisher, null);

        w.WriteStartElement("title");
        Narratives(w, Fill(theme.TitleEn, city.En, countries[0].En, magnitude), Fill(theme.TitleRu, city.Ru, countries[0].Ru, magnitude), Fill(theme.TitleZh, city.Zh, countries[0].Zh, magnitude));
        w.WriteEndElement();
        w.WriteStartElement("description");
        w.WriteAttributeString("type", "1");
        Narratives(w, Fill(theme.DescriptionEn, city.En, countries[0].En, magnitude), Fill(theme.DescriptionRu, city.Ru, countries[0].Ru, magnitude), Fill(theme.DescriptionZh, city.Zh, countries[0].Zh, magnitude));
        w.WriteEndElement();

        WriteOrg(w, "participating-org", funder, "1");
        if (random.NextDouble() < 0.7) WriteOrg(w, "participating-org", countries[0].Ministry, "2");
        WriteOrg(w, "participating-org", implementer, "4");

        Code(w, "activity-status", status.ToString(Invariant));
        ActivityDate(w, "1", plannedStart);
        if (actualStart is { } s) ActivityDate(w, "2", s);
        ActivityDate(w, "3", plannedEnd);
        if (actualEnd is { } e) ActivityDate(w, "4", e);

        for (var c = 0; c < countries.Count; c++)
        {
            w.WriteStartElement("recipient-country");
            w.WriteAttributeString("code", countries[c].Code);
            w.WriteAttributeString("percentage", shares[c].ToString(Invariant));
            w.WriteEndElement();
        }
        if (withRegion)
        {
            w.WriteStartElement("recipient-region");
            w.WriteAttributeString("code", "619"); // Central Asia, regional (OECD DAC)
            w.WriteAttributeString("vocabulary", "1");
            w.WriteAttributeString("percentage", shares[^1].ToString(Invariant));
            w.WriteEndElement();
        }

        // The schema wants location before sector.
        WriteLocation(w, random, city, theme);
        WriteLocation(w, random, secondCity, theme);

        var sectorCodes = new List<string>(3) { theme.Sector };
        var sectorCount = random.Next(2, 4);
        while (sectorCodes.Count < Math.Min(sectorCount, theme.Related.Length + 1))
        {
            var code = theme.Related[random.Next(theme.Related.Length)];
            if (!sectorCodes.Contains(code)) sectorCodes.Add(code);
        }
        var sectorShares = Split(random, sectorCodes.Count);
        for (var k = 0; k < sectorCodes.Count; k++)
        {
            w.WriteStartElement("sector");
            w.WriteAttributeString("vocabulary", "1");
            w.WriteAttributeString("code", sectorCodes[k]);
            w.WriteAttributeString("percentage", sectorShares[k].ToString(Invariant));
            w.WriteEndElement();
        }

        // Budgets by calendar year (a period of at most a year); past years committed, later ones indicative.
        var firstYear = plannedStart.Month == 12 ? plannedStart.Year + 1 : plannedStart.Year;
        var revised = random.NextDouble() < 0.2;
        for (var b = 0; b < 3; b++)
        {
            var year = firstYear + (revised && b == 2 ? 1 : b);
            var start = new DateOnly(year, 1, 1);
            if (start < plannedStart) start = plannedStart;
            w.WriteStartElement("budget");
            w.WriteAttributeString("type", revised && b == 2 ? "2" : "1");
            w.WriteAttributeString("status", year <= AsOf.Year ? "2" : "1");
            Date(w, "period-start", start);
            Date(w, "period-end", new DateOnly(year, 12, 31));
            Value(w, Money(totalUsd / 3 * (0.7 + (0.6 * random.NextDouble())), rate), currency, start);
            w.WriteEndElement();
        }

        // Two planned disbursements, consecutive quarters.
        var quarter = Quarter(plannedStart.AddMonths(random.Next(0, 12)));
        for (var q = 0; q < 2; q++, quarter = quarter.AddMonths(3))
        {
            w.WriteStartElement("planned-disbursement");
            w.WriteAttributeString("type", "1");
            Date(w, "period-start", quarter);
            Date(w, "period-end", quarter.AddMonths(3).AddDays(-1));
            Value(w, Money(totalUsd / 8 * (0.5 + random.NextDouble()), rate), currency, quarter);
            TransactionOrg(w, "provider-org", funder);
            TransactionOrg(w, "receiver-org", implementer);
            w.WriteEndElement();
        }

        WriteTransactions(w, random, status, actualStart, actualEnd, totalUsd, currency, funder, implementer, countries[0].Partner);

        w.WriteStartElement("document-link");
        w.WriteAttributeString("url", $"https://{publisher.Domain}/iati/{id}/summary.pdf");
        w.WriteAttributeString("format", "application/pdf");
        w.WriteStartElement("title");
        Narratives(w, "Project summary", null, null);
        w.WriteEndElement();
        Code(w, "category", "A02"); // objectives / purpose of activity
        Code(w, "language", "en");
        Date(w, "document-date", plannedStart < AsOf ? plannedStart : AsOf);
        w.WriteEndElement();

        if (group.IsParent(index))
            for (var child = group.Start + 1; child < group.End; child++) RelatedActivity(w, "2", Identifier(publisher.Ref, child));
        else if (group.IsChild(index))
            RelatedActivity(w, "1", Identifier(publisher.Ref, group.Start));

        WriteResult(w, random, "1", theme.OutputEn, theme.OutputIndicatorEn, theme.OutputTarget, plannedStart);
        if (random.NextDouble() < 0.5) WriteResult(w, random, "2", theme.OutcomeEn, theme.OutcomeIndicatorEn, theme.OutcomeTarget, plannedStart);

        w.WriteEndElement();
    }

    private static void WriteTransactions(XmlWriter w, Random random, int status, DateOnly? actualStart, DateOnly? actualEnd,
        double totalUsd, string currency, Org funder, Org implementer, Org partner)
    {
        // Pipeline: commitments only, in the last months. Otherwise one or two commitments at the start, then
        // disbursements and expenditures, all between the actual start and the actual end (or AsOf).
        var from = actualStart ?? AsOf.AddDays(-120);
        var to = actualEnd ?? AsOf;
        var count = status == 1 ? random.Next(1, 3) : random.Next(8, 11);
        var commitments = status == 1 ? count : random.Next(1, 3);
        var span = to.DayNumber - from.DayNumber;
        Span<int> days = stackalloc int[count];
        for (var t = 0; t < count; t++) days[t] = random.Next(0, span + 1);
        days.Sort();
        for (var t = 0; t < count; t++)
        {
            var type = t < commitments ? "2" : (t - commitments) % 2 == 0 ? "3" : "4";
            var date = from.AddDays(days[t]);
            var usd = type == "2" ? totalUsd / commitments : totalUsd / count * (0.4 + random.NextDouble());
            var valueCurrency = random.NextDouble() < 0.85 ? currency : "USD";
            w.WriteStartElement("transaction");
            Code(w, "transaction-type", type);
            Date(w, "transaction-date", date);
            Value(w, Money(usd, Rates[valueCurrency]), valueCurrency, date);
            TransactionOrg(w, "provider-org", type == "4" ? implementer : funder);
            TransactionOrg(w, "receiver-org", type == "4" ? partner : implementer);
            w.WriteEndElement();
        }
    }

    private static void WriteLocation(XmlWriter w, Random random, City city, Theme theme)
    {
        w.WriteStartElement("location");
        Code(w, "location-reach", "1");
        w.WriteStartElement("location-id");
        w.WriteAttributeString("vocabulary", "G1"); // GeoNames
        w.WriteAttributeString("code", city.GeoNames);
        w.WriteEndElement();
        w.WriteStartElement("name");
        w.WriteElementString("narrative", city.En);
        w.WriteEndElement();
        w.WriteStartElement("administrative");
        w.WriteAttributeString("vocabulary", "A4"); // ISO 3166-1 country: level 0
        w.WriteAttributeString("level", "0");
        w.WriteAttributeString("code", city.Country);
        w.WriteEndElement();
        w.WriteStartElement("point");
        w.WriteAttributeString("srsName", "http://www.opengis.net/def/crs/EPSG/0/4326");
        // A site within ~5 km of the city centre.
        var lat = city.Lat + ((random.NextDouble() - 0.5) * 0.09);
        var lon = city.Lon + ((random.NextDouble() - 0.5) * 0.12);
        w.WriteElementString("pos", lat.ToString("0.00000", Invariant) + " " + lon.ToString("0.00000", Invariant));
        w.WriteEndElement();
        Code(w, "exactness", theme.LocationClass == "3" ? "1" : "2");
        Code(w, "location-class", theme.LocationClass);
        Code(w, "feature-designation", theme.Feature);
        w.WriteEndElement();
    }

    private static void WriteResult(XmlWriter w, Random random, string type, string title, string indicator, int target, DateOnly plannedStart)
    {
        w.WriteStartElement("result");
        w.WriteAttributeString("type", type);
        w.WriteStartElement("title");
        Narratives(w, title, null, null);
        w.WriteEndElement();
        w.WriteStartElement("indicator");
        w.WriteAttributeString("measure", "1"); // unit
        w.WriteAttributeString("ascending", "true");
        w.WriteStartElement("title");
        Narratives(w, indicator, null, null);
        w.WriteEndElement();
        w.WriteStartElement("baseline");
        w.WriteAttributeString("year", plannedStart.Year.ToString(Invariant));
        w.WriteAttributeString("iso-date", plannedStart.ToString("yyyy-MM-dd", Invariant));
        w.WriteAttributeString("value", "0");
        w.WriteEndElement();
        var periods = random.Next(1, 3);
        var goal = (int)(target * (0.6 + (0.8 * random.NextDouble())));
        for (var p = 0; p < periods; p++)
        {
            // Calendar years after the start; an actual only once the year is over.
            var year = plannedStart.Year + 1 + p;
            var periodTarget = goal * (p + 1) / periods;
            w.WriteStartElement("period");
            Date(w, "period-start", new DateOnly(year, 1, 1));
            Date(w, "period-end", new DateOnly(year, 12, 31));
            w.WriteStartElement("target");
            w.WriteAttributeString("value", periodTarget.ToString(Invariant));
            w.WriteEndElement();
            if (new DateOnly(year, 12, 31) <= AsOf)
            {
                w.WriteStartElement("actual");
                w.WriteAttributeString("value", ((int)(periodTarget * (0.5 + (0.6 * random.NextDouble())))).ToString(Invariant));
                w.WriteEndElement();
            }
            w.WriteEndElement();
        }
        w.WriteEndElement();
        w.WriteEndElement();
    }

    /// <summary>reporting-org or participating-org: ref, type, role and the English name.</summary>
    private static void WriteOrg(XmlWriter w, string element, Org org, string? role)
    {
        w.WriteStartElement(element);
        w.WriteAttributeString("ref", org.Ref);
        w.WriteAttributeString("type", org.Type);
        if (role is not null) w.WriteAttributeString("role", role);
        w.WriteElementString("narrative", org.En);
        w.WriteEndElement();
    }

    /// <summary>provider-org or receiver-org of a transaction or planned disbursement: ref and English name.</summary>
    private static void TransactionOrg(XmlWriter w, string element, Org org)
    {
        w.WriteStartElement(element);
        w.WriteAttributeString("ref", org.Ref);
        w.WriteElementString("narrative", org.En);
        w.WriteEndElement();
    }

    private static void RelatedActivity(XmlWriter w, string type, string reference)
    {
        w.WriteStartElement("related-activity");
        w.WriteAttributeString("ref", reference);
        w.WriteAttributeString("type", type);
        w.WriteEndElement();
    }

    /// <summary>English in the activity's default language (no xml:lang), then Russian and Chinese if given.</summary>
    private static void Narratives(XmlWriter w, string en, string? ru, string? zh)
    {
        w.WriteElementString("narrative", en);
        if (ru is not null) Narrative(w, "ru", ru);
        if (zh is not null) Narrative(w, "zh", zh);
    }

    private static void Narrative(XmlWriter w, string lang, string text)
    {
        w.WriteStartElement("narrative");
        w.WriteAttributeString("xml", "lang", XmlNamespace, lang);
        w.WriteString(text);
        w.WriteEndElement();
    }

    private static void Code(XmlWriter w, string element, string code)
    {
        w.WriteStartElement(element);
        w.WriteAttributeString("code", code);
        w.WriteEndElement();
    }

    private static void Date(XmlWriter w, string element, DateOnly date)
    {
        w.WriteStartElement(element);
        w.WriteAttributeString("iso-date", date.ToString("yyyy-MM-dd", Invariant));
        w.WriteEndElement();
    }

    private static void ActivityDate(XmlWriter w, string type, DateOnly date)
    {
        w.WriteStartElement("activity-date");
        w.WriteAttributeString("type", type);
        w.WriteAttributeString("iso-date", date.ToString("yyyy-MM-dd", Invariant));
        w.WriteEndElement();
    }

    private static void Value(XmlWriter w, decimal amount, string currency, DateOnly valueDate)
    {
        w.WriteStartElement("value");
        w.WriteAttributeString("currency", currency);
        w.WriteAttributeString("value-date", valueDate.ToString("yyyy-MM-dd", Invariant));
        w.WriteString(amount.ToString("0.00", Invariant));
        w.WriteEndElement();
    }

    /// <summary>Dollars in the currency, to the cent; round sums (to the thousand) half the time, as budgets often are.</summary>
    private static decimal Money(double usd, decimal rate)
    {
        var amount = Math.Round((decimal)usd * rate, 2);
        return amount >= 100_000 && ((long)amount & 1) == 0 ? Math.Round(amount / 1000) * 1000 : amount;
    }

    private static DateOnly Quarter(DateOnly date) => new(date.Year, (((date.Month - 1) / 3) * 3) + 1, 1);

    private static string Stamp(DateOnly date, Random random) =>
        $"{date.ToString("yyyy-MM-dd", Invariant)}T{random.Next(6, 20):D2}:{random.Next(0, 60):D2}:{random.Next(0, 60):D2}Z";

    private static string Fill(string template, string city, string country, string magnitude) =>
        template.Replace("{city}", city, StringComparison.Ordinal).Replace("{country}", country, StringComparison.Ordinal).Replace("{n}", magnitude, StringComparison.Ordinal);

    /// <summary>100 split into whole multiples of 5, each at least 10, largest first: they always sum to exactly 100.</summary>
    private static int[] Split(Random random, int parts)
    {
        var units = new int[parts];
        Array.Fill(units, 2);
        for (var left = 20 - (2 * parts); left > 0; left--) units[random.Next(parts)]++;
        Array.Sort(units, (a, b) => b.CompareTo(a));
        for (var k = 0; k < parts; k++) units[k] *= 5;
        return units;
    }

    /// <summary>An index drawn with the given weights.</summary>
    private static int Pick(Random random, params ReadOnlySpan<int> weights)
    {
        var total = 0;
        foreach (var weight in weights) total += weight;
        var roll = random.Next(total);
        for (var k = 0; k < weights.Length; k++)
        {
            if (roll < weights[k]) return k;
            roll -= weights[k];
        }
        return weights.Length - 1;
    }

    private static City RandomCity(Random random, Country country, City? not = null)
    {
        var cities = Cities[country.Code];
        var city = cities[random.Next(cities.Length)];
        return city == not ? cities[(Array.IndexOf(cities, city) + 1) % cities.Length] : city;
    }

    /// <summary>Chinese publishers report in yuan or dollars, multilateral banks in dollars or euros; some projects in the main recipient's currency.</summary>
    private static string DefaultCurrency(Random random, Org publisher, Country country)
    {
        var roll = random.NextDouble();
        if (roll < 0.3 && country.Code is "KZ") return "KZT";
        if (roll < 0.3 && country.Code is "UZ") return "UZS";
        roll = random.NextDouble();
        return publisher.Type == "40" ? (roll < 0.8 ? "USD" : "EUR") : (roll < 0.6 ? "CNY" : "USD");
    }

    // Units of each currency per US dollar, roughly as in 2025.
    private static readonly Dictionary<string, decimal> Rates = new()
    {
        ["USD"] = 1m, ["CNY"] = 7.1m, ["KZT"] = 510m, ["UZS"] = 12_200m, ["EUR"] = 0.88m,
    };

    private sealed record Org(string Ref, string Type, string En, string Domain = "", bool Funder = false);

    private sealed record Country(string Code, string En, string Ru, string Zh, Org Ministry, Org Partner);

    private sealed record City(string Country, string En, string Ru, string Zh, string GeoNames, double Lat, double Lon);

    private sealed record Theme(
        string Sector, string[] Related, string Feature, string LocationClass, int Min, int Max, int[] Implementers,
        string TitleEn, string TitleRu, string TitleZh, string DescriptionEn, string DescriptionRu, string DescriptionZh,
        string OutputEn, string OutputIndicatorEn, int OutputTarget, string OutcomeEn, string OutcomeIndicatorEn, int OutcomeTarget);

    private static readonly Org Cidca = new("CN-COA-CIDCA", "10", "China International Development Cooperation Agency", "www.cidca.gov.cn", Funder: true);
    private static readonly Org Mofcom = new("CN-COA-MOFCOM", "10", "Ministry of Commerce of the People's Republic of China", "www.mofcom.gov.cn", Funder: true);
    private static readonly Org ChinaExim = new("CN-USCI-91100000100017741B", "15", "Export-Import Bank of China", "www.eximbank.gov.cn", Funder: true);
    private static readonly Org Cdb = new("CN-USCI-91110000000018346X", "15", "China Development Bank", "www.cdb.com.cn", Funder: true);
    private static readonly Org SilkRoadFund = new("CN-USCI-91110000717830542T", "15", "Silk Road Fund", "www.silkroadfund.com.cn", Funder: true);
    private static readonly Org Aiib = new("XM-DAC-46026", "40", "Asian Infrastructure Investment Bank", "www.aiib.org", Funder: true);
    private static readonly Org Adb = new("XM-DAC-46004", "40", "Asian Development Bank", "www.adb.org", Funder: true);
    private static readonly Org Undp = new("XM-DAC-41114", "40", "United Nations Development Programme", "www.undp.org");

    private static readonly Org[] Publishers = [Cidca, Cidca, Mofcom, Mofcom, ChinaExim, Cdb, SilkRoadFund, Aiib, Adb, Undp];
    private static readonly Org[] ChineseFunders = [Cidca, Mofcom]; // who funds what UNDP implements (South–South cooperation)

    private static readonly Org[] Implementers =
    [
        new("CN-USCI-12120000401359227K", "80", "Tianjin Vocational Institute"),
        new("CN-USCI-91110000100010433L", "71", "China Road and Bridge Corporation"),
        new("CN-USCI-91110000710935003U", "71", "China Railway Group Limited"),
        new("CN-USCI-91110000717825966F", "71", "Power Construction Corporation of China"),
        new("CN-USCI-12650000458000386D", "80", "Xinjiang Academy of Agricultural Sciences"),
        new("CN-USCI-91440300192203821T", "71", "Huawei Technologies Co., Ltd."),
        new("CN-USCI-12100000400009278E", "80", "Peking Union Medical College Hospital"),
        new("CN-USCI-91110000100006641P", "71", "China Energy Engineering Corporation"),
        new("CN-USCI-12100000400012345A", "80", "China Scholarship Council"),
    ];

    private static readonly Country[] Countries =
    [
        new("KZ", "Kazakhstan", "Казахстан", "哈萨克斯坦",
            new("KZ-COA-MNE", "10", "Ministry of National Economy of the Republic of Kazakhstan"),
            new("KZ-BIN-010540000189", "80", "Satbayev University")),
        new("KG", "Kyrgyzstan", "Кыргызстан", "吉尔吉斯斯坦",
            new("KG-COA-MF", "10", "Ministry of Finance of the Kyrgyz Republic"),
            new("KG-INN-01803199410056", "80", "Kyrgyz State Technical University")),
        new("TJ", "Tajikistan", "Таджикистан", "塔吉克斯坦",
            new("TJ-COA-MF", "10", "Ministry of Finance of the Republic of Tajikistan"),
            new("TJ-COA-TTU", "80", "Tajik Technical University")),
        new("TM", "Turkmenistan", "Туркменистан", "土库曼斯坦",
            new("TM-COA-MFE", "10", "Ministry of Finance and Economy of Turkmenistan"),
            new("TM-COA-TSIT", "80", "Turkmen State Institute of Transport and Communications")),
        new("UZ", "Uzbekistan", "Узбекистан", "乌兹别克斯坦",
            new("UZ-COA-MIIT", "10", "Ministry of Investment, Industry and Trade of the Republic of Uzbekistan"),
            new("UZ-KTUT-200886012", "80", "Tashkent State Technical University")),
        new("CN", "China", "Китай", "中国",
            new("CN-COA-XJDRC", "11", "Development and Reform Commission of the Xinjiang Uygur Autonomous Region"),
            new("CN-USCI-12650000457600172B", "80", "Xinjiang University")),
    ];

    private static readonly int[] CountryWeights = [30, 18, 15, 7, 25, 5];

    // Cities in the recipient countries (for China, Xinjiang only): GeoNames id, latitude, longitude.
    private static readonly Dictionary<string, City[]> Cities = new()
    {
        ["KZ"] =
        [
            new("KZ", "Almaty", "Алматы", "阿拉木图", "1526384", 43.2567, 76.9286),
            new("KZ", "Astana", "Астана", "阿斯塔纳", "1526273", 51.1801, 71.4460),
            new("KZ", "Shymkent", "Шымкент", "奇姆肯特", "1518980", 42.3000, 69.6000),
            new("KZ", "Aktobe", "Актобе", "阿克托别", "610611", 50.2839, 57.1670),
            new("KZ", "Zharkent", "Жаркент", "扎尔肯特", "1516589", 44.1628, 80.0000),
        ],
        ["KG"] =
        [
            new("KG", "Bishkek", "Бишкек", "比什凯克", "1528675", 42.8700, 74.5900),
            new("KG", "Osh", "Ош", "奥什", "1527534", 40.5333, 72.8000),
            new("KG", "Karakol", "Каракол", "卡拉科尔", "1528121", 42.4907, 78.3936),
            new("KG", "Jalal-Abad", "Джалал-Абад", "贾拉拉巴德", "1528262", 40.9333, 73.0000),
        ],
        ["TJ"] =
        [
            new("TJ", "Dushanbe", "Душанбе", "杜尚别", "1221874", 38.5358, 68.7791),
            new("TJ", "Khujand", "Худжанд", "苦盏", "1221328", 40.2826, 69.6222),
            new("TJ", "Kulob", "Куляб", "库利亚布", "1221194", 37.9146, 69.7845),
            new("TJ", "Bokhtar", "Бохтар", "博赫塔尔", "1220747", 37.8364, 68.7803),
        ],
        ["TM"] =
        [
            new("TM", "Ashgabat", "Ашхабад", "阿什哈巴德", "162183", 37.9601, 58.3261),
            new("TM", "Turkmenabat", "Туркменабад", "土库曼纳巴德", "1219649", 39.0733, 63.5786),
            new("TM", "Mary", "Мары", "马雷", "1218667", 37.5938, 61.8303),
        ],
        ["UZ"] =
        [
            new("UZ", "Tashkent", "Ташкент", "塔什干", "1512569", 41.2995, 69.2401),
            new("UZ", "Samarkand", "Самарканд", "撒马尔罕", "1216265", 39.6270, 66.9750),
            new("UZ", "Bukhara", "Бухара", "布哈拉", "1217662", 39.7747, 64.4286),
            new("UZ", "Andijan", "Андижан", "安集延", "1514588", 40.7821, 72.3442),
            new("UZ", "Namangan", "Наманган", "纳曼干", "1513157", 40.9983, 71.6726),
        ],
        ["CN"] =
        [
            new("CN", "Urumqi", "Урумчи", "乌鲁木齐", "1529102", 43.8256, 87.6168),
            new("CN", "Kashgar", "Кашгар", "喀什", "1280849", 39.4704, 75.9898),
            new("CN", "Horgos", "Хоргос", "霍尔果斯", "10630003", 44.2142, 80.4125),
        ],
    };

    private static readonly Theme[] Themes =
    [
        new("11330", ["11420", "25010"], "SCHT", "3", 200, 600, [0],
            "Luban Workshop for vocational training in {city}", "Мастерская Лу Бань для профессионального обучения, г. {city}", "{city}鲁班工坊职业技能培训项目",
            "The workshop in {city} ({country}) trains about {n} technicians a year in electrical automation, railway maintenance and new-energy vehicles. Courses follow Chinese engineering practice and end with certificates recognised in both countries.",
            "Мастерская в г. {city} ({country}) ежегодно готовит около {n} техников по электроавтоматике, обслуживанию железных дорог и электромобилям. Курсы построены по китайской инженерной практике и завершаются сертификатами, признанными в обеих странах.",
            "该工坊位于{country}{city}，每年培训约{n}名电气自动化、铁路维护和新能源汽车技术人员。课程采用中国工程实践标准，结业证书获两国认可。",
            "Technicians trained and certified", "Number of graduates certified", 500, "Graduates employed in their trade", "Number of graduates employed within six months", 350),
        new("21020", ["21010", "33120"], "RD", "3", 40, 380, [1],
            "Reconstruction of the {city} highway section", "Реконструкция участка автодороги, г. {city}", "{city}公路段改造工程",
            "The project rebuilds {n} km of the highway near {city} ({country}) to category I standard, with new bridges and drainage. It shortens freight transit to the border crossing and improves road safety.",
            "Проект предусматривает реконструкцию {n} км автодороги у г. {city} ({country}) по I категории с новыми мостами и водоотводом. Он сокращает время перевозки грузов до пограничного перехода и повышает безопасность движения.",
            "项目按一级公路标准改造{country}{city}附近{n}公里公路，新建桥梁和排水设施，缩短货物运往口岸的时间并提高道路安全。",
            "Road section rehabilitated", "Kilometres of road rehabilitated", 200, "Faster freight transit", "Trucks per day on the section", 4000),
        new("21030", ["21061", "33120"], "RSTN", "3", 50, 400, [2],
            "Modernisation of the {city} railway freight terminal", "Модернизация железнодорожного грузового терминала, г. {city}", "{city}铁路货运站现代化改造",
            "The terminal in {city} ({country}) gets new container yards, gantry cranes and a digital cargo tracking system for China–Europe trains. Capacity rises to about {n} thousand containers a year.",
            "Терминал в г. {city} ({country}) получает новые контейнерные площадки, козловые краны и цифровую систему отслеживания грузов для поездов Китай — Европа. Мощность вырастет примерно до {n} тыс. контейнеров в год.",
            "{country}{city}货运站新建集装箱堆场、龙门吊和中欧班列数字化货物跟踪系统，年吞吐能力提高到约{n}千标箱。",
            "Terminal capacity expanded", "Container yard places built", 1200, "More containers handled", "Containers handled per year", 150000),
        new("23230", ["23631", "41010"], "PS", "3", 20, 300, [3, 7],
            "{n} MW solar power plant near {city}", "Солнечная электростанция мощностью {n} МВт у г. {city}", "{city}附近{n}兆瓦光伏电站",
            "A {n} MW photovoltaic plant near {city} ({country}) with a substation and a transmission line to the national grid. It replaces gas-fired generation and cuts carbon emissions.",
            "Фотоэлектрическая станция мощностью {n} МВт у г. {city} ({country}) с подстанцией и линией электропередачи в национальную сеть. Она замещает газовую генерацию и сокращает выбросы углерода.",
            "在{country}{city}附近建设{n}兆瓦光伏电站及变电站和并网输电线路，替代燃气发电，减少碳排放。",
            "Solar capacity installed", "Megawatts installed", 150, "Clean electricity supplied", "Gigawatt-hours generated per year", 300),
        new("23220", ["23631", "31140"], "PSH", "3", 30, 250, [3, 7],
            "Upgrade of the hydropower station near {city}", "Модернизация ГЭС у г. {city}", "{city}附近水电站升级改造",
            "New turbines and control systems restore {n} MW at the hydropower station near {city} ({country}). Winter power shortages in the region are expected to end.",
            "Новые турбины и системы управления восстанавливают {n} МВт мощности ГЭС у г. {city} ({country}). Ожидается, что зимний дефицит электроэнергии в регионе будет устранён.",
            "为{country}{city}附近水电站更换水轮机和控制系统，恢复{n}兆瓦装机容量，缓解当地冬季电力短缺。",
            "Capacity restored", "Megawatts restored", 120, "Reliable winter supply", "Hours of outage per winter", 200),
        new("14020", ["14030", "43040"], "WTRW", "3", 50, 400, [3],
            "Drinking water supply and sanitation for {city}", "Водоснабжение и водоотведение, г. {city}", "{city}供水和污水处理工程",
            "The project builds a treatment plant and replaces {n} km of water mains in {city} ({country}). Households get safe water around the clock.",
            "Проект включает строительство очистных сооружений и замену {n} км водопроводных сетей в г. {city} ({country}). Жители получат круглосуточный доступ к чистой воде.",
            "项目在{country}{city}新建水处理厂并更换{n}公里供水管网，使居民全天候获得安全饮用水。",
            "Water network renewed", "Kilometres of mains replaced", 150, "Safe water for households", "Households connected", 40000),
        new("31120", ["31161", "31140"], "FRM", "3", 100, 800, [4],
            "Agricultural technology demonstration park in {city}", "Демонстрационный агротехнологический парк, г. {city}", "{city}农业技术示范园",
            "The park near {city} ({country}) demonstrates drip irrigation, greenhouse vegetables and cotton seed varieties on {n} hectares. Local farmers take part in seasonal training.",
            "Парк у г. {city} ({country}) демонстрирует капельное орошение, тепличное овощеводство и сорта хлопчатника на площади {n} га. Местные фермеры проходят сезонное обучение.",
            "示范园位于{country}{city}附近，占地{n}公顷，展示滴灌、设施蔬菜和棉花良种技术，并为当地农民举办季节性培训。",
            "Farmers trained", "Number of farmers trained", 1500, "Higher yields", "Hectares under water-saving irrigation", 5000),
        new("12220", ["12191", "12261"], "HSP", "3", 100, 500, [6],
            "Equipment and training for the {city} regional hospital", "Оснащение и обучение персонала областной больницы, г. {city}", "{city}州立医院设备与培训项目",
            "The hospital in {city} ({country}) receives diagnostic equipment and {n} beds, and its staff train with Chinese medical teams. Waiting times for surgery are expected to fall.",
            "Больница в г. {city} ({country}) получает диагностическое оборудование и {n} коек, а её персонал обучается вместе с китайскими медицинскими бригадами. Ожидается сокращение очередей на операции.",
            "{country}{city}州立医院获得诊断设备和{n}张病床，医护人员与中国医疗队共同培训，预计手术等待时间将缩短。",
            "Medical staff trained", "Number of doctors and nurses trained", 400, "More patients treated", "Patients treated per year", 60000),
        new("22040", ["22020", "15110"], "PPLA", "2", 200, 1200, [5],
            "Fibre-optic backbone and e-government services in {city}", "Волоконно-оптическая магистраль и электронное правительство, г. {city}", "{city}光纤骨干网和电子政务项目",
            "The project lays {n} km of fibre-optic cable around {city} ({country}) and opens online public services. Schools and clinics are connected first.",
            "Проект предусматривает прокладку {n} км оптоволоконного кабеля вокруг г. {city} ({country}) и запуск государственных онлайн-услуг. В первую очередь подключаются школы и поликлиники.",
            "项目在{country}{city}周边敷设{n}公里光缆并开通在线政务服务，优先连接学校和诊所。",
            "Network built", "Kilometres of fibre laid", 800, "Public services online", "Households connected", 80000),
        new("33120", ["21061", "32130"], "PSTB", "3", 2, 12, [1, 5],
            "Border crossing and logistics hub at {city}", "Пункт пропуска и логистический центр, г. {city}", "{city}口岸与物流中心",
            "New inspection lanes, a bonded warehouse and a single-window customs system at {city} ({country}) cut clearance to about {n} hours. The hub serves trade with Xinjiang.",
            "Новые полосы досмотра, таможенный склад и система «единого окна» в г. {city} ({country}) сокращают оформление примерно до {n} часов. Центр обслуживает торговлю с Синьцзяном.",
            "在{country}{city}新建查验通道、保税仓库和“单一窗口”通关系统，通关时间缩短至约{n}小时，服务对新疆贸易。",
            "Customs facilities built", "Inspection lanes opened", 24, "Faster clearance", "Trucks cleared per day", 1500),
        new("32130", ["24030", "25010"], "PPLA", "2", 50, 400, [8],
            "Credit line for small and medium-sized enterprises in {city}", "Кредитная линия для малого и среднего бизнеса, г. {city}", "{city}中小企业信贷额度",
            "A credit line through local banks finances about {n} small and medium-sized enterprises in and around {city} ({country}). Loans go mainly to food processing, textiles and logistics.",
            "Кредитная линия через местные банки финансирует около {n} малых и средних предприятий в г. {city} и окрестностях ({country}). Кредиты направляются в основном в пищевую промышленность, текстиль и логистику.",
            "通过当地银行提供信贷额度，为{country}{city}及周边约{n}家中小企业融资，主要投向食品加工、纺织和物流。",
            "Loans disbursed", "Number of enterprises financed", 300, "Jobs created", "Jobs created in financed enterprises", 2500),
        new("11420", ["11330"], "PPLC", "2", 30, 200, [8],
            "Silk Road university scholarships for students from {city}", "Стипендии «Шёлкового пути» для студентов из г. {city}", "{city}学生“丝绸之路”奖学金项目",
            "Each year about {n} students from {city} ({country}) study engineering, medicine and agronomy at Chinese universities. The scholarship covers tuition, housing and a year of Chinese language.",
            "Ежегодно около {n} студентов из г. {city} ({country}) изучают инженерное дело, медицину и агрономию в китайских университетах. Стипендия покрывает обучение, проживание и год изучения китайского языка.",
            "每年约有{n}名来自{country}{city}的学生在中国高校学习工程、医学和农学，奖学金涵盖学费、住宿和一年汉语学习。",
            "Scholarships awarded", "Number of scholarship holders", 400, "Graduates returned home", "Graduates working in their home country", 300),
    ];
}
