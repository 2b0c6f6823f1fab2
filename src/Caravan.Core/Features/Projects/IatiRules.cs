using System.Globalization;
using Caravan.Shared;

namespace Caravan.Features.Projects;

/// <summary>
/// What Caravan checks on each activity. Errors: what the 2.03 schema requires of an activity (Caravan carries
/// no copy of the XSD, so its requirements are restated here; the import can also validate against the
/// official XSD when given its folder). Warnings: the IATI Standard's rules — percentages sum to 100 per
/// vocabulary, dates in order, codes from the codelists, the identifier prefixed by its reporting organisation.
/// </summary>
public static class IatiRules
{
    public static List<IatiProblem> Check(IatiActivity a)
    {
        var problems = new List<IatiProblem>();
        var id = a.Identifier;
        void Error(string path, MessageCode code, params MessageArg[] args)
            => problems.Add(new IatiProblem(id, path, "schema", new(code, args), IsError: true));
        void Warn(string path, string rule, MessageCode code, params MessageArg[] args)
            => problems.Add(new IatiProblem(id, path, rule, new(code, args)));
        void Code(string path, string list, IReadOnlySet<string> codes, string? code)
        {
            if (code is not null && !codes.Contains(code))
                Warn(path, "codelist:" + list, IatiMessages.UnknownCode, code);
        }

        // Values there but not of their schema type: an error (the schema refuses them), told as unreadable.
        foreach (var u in a.Unreadable ?? [])
            Error(u.Path, IatiMessages.Unreadable, new MessageArg.Term(KindTerm(u.Kind)), u.Text, u.Line, u.Path);
        // An element whose value could not be read is there: it is not reported missing as well.
        // A path ending in / stands for the element and everything in it.
        bool Unread(string path) => a.Unreadable?.Exists(u => path.EndsWith('/')
            ? u.Path.StartsWith(path, StringComparison.Ordinal)
            : u.Path.Equals(path, StringComparison.Ordinal)) == true;

        // The schema's requirements of an activity, in its order.
        // An empty identifier is schema-valid (xs:string), but an activity without one cannot be stored or updated:
        // an error of Caravan's own, not the schema's.
        if (id.Length == 0)
            problems.Add(new IatiProblem(id, "iati-identifier", "identifier-required",
                new(IatiMessages.IdentifierMissing), IsError: true));
        if (a.ReportingOrg is null) Error("reporting-org", IatiMessages.ElementMissing, "reporting-org");
        if (a.Titles.Count == 0) Error("title/narrative", IatiMessages.TitleMissing);
        if (a.Descriptions.Count == 0) Error("description", IatiMessages.ElementMissing, "description");
        if (a.ParticipatingOrgs.Count == 0)
            Error("participating-org", IatiMessages.ElementMissing, "participating-org");
        if (a.Status is null) Error("activity-status", IatiMessages.ElementMissing, "activity-status");
        if (a.ActivityDates.Count == 0 && !Unread("activity-date/"))
            Error("activity-date", IatiMessages.ElementMissing, "activity-date");
        for (var i = 0; i < a.Transactions.Count; i++)
        {
            var t = a.Transactions[i];
            var at = $"transaction[{i + 1}]";
            if (t.Type is null) Error($"{at}/transaction-type/@code", IatiMessages.ElementMissing, "transaction-type");
            if (t.Date is null && !Unread($"{at}/transaction-date/"))
                Error($"{at}/transaction-date/@iso-date", IatiMessages.ElementMissing, "transaction-date");
            if (t.Value is null && !Unread($"{at}/value")) Error($"{at}/value", IatiMessages.ValueMissing);
        }

        // The Standard's rules.
        if (id.Length > 0 && a.ReportingOrgRef is { Length: > 0 } org
            && !id.StartsWith(org + "-", StringComparison.Ordinal) && id != org)
            Warn("iati-identifier", "identifier-prefix", IatiMessages.IdentifierPrefix, org);
        Code("/iati-activities/@version", "Version", Versions, a.FileVersion);
        Code("activity-status/@code", "ActivityStatus", IatiCodelists.ActivityStatus, a.Status);
        for (var i = 0; i < a.ParticipatingOrgs.Count; i++)
            Code($"participating-org[{i + 1}]/@role", "OrganisationRole", IatiCodelists.OrganisationRole,
                a.ParticipatingOrgs[i].Role ?? "");
        foreach (var d in a.ActivityDates) Code("activity-date/@type", "ActivityDateType",
            IatiCodelists.ActivityDateType, d.Type);
        var dates = a.Dates; // 1 planned start, 2 actual start, 3 planned end, 4 actual end
        if (dates.TryGetValue("1", out var ps) && dates.TryGetValue("3", out var pe)
            && pe < ps) Warn("activity-date[@type=3]", "date-order", IatiMessages.EndBeforeStart,
            $"{ps:yyyy-MM-dd} > {pe:yyyy-MM-dd}");
        if (dates.TryGetValue("2", out var @as) && dates.TryGetValue("4", out var ae)
            && ae < @as) Warn("activity-date[@type=4]", "date-order", IatiMessages.EndBeforeStart,
            $"{@as:yyyy-MM-dd} > {ae:yyyy-MM-dd}");

        foreach (var c in a.RecipientCountries) Code("recipient-country/@code", "Country", IatiCodelists.Country,
            c.Code);
        foreach (var r in a.RecipientRegions.Where(r => r.Vocabulary == "1")) Code("recipient-region/@code", "Region",
            IatiCodelists.Region, r.Code);
        // Recipient countries and regions together sum to 100 when there is more than one.
        var recipients = a.RecipientCountries.Concat(a.RecipientRegions).ToList();
        if (recipients.Count > 1 && recipients.Sum(r => r.Percentage ?? 0) != 100)
            Warn("recipient-country/@percentage", "percentages-sum", IatiMessages.Percentages, Sum(recipients));
        foreach (var s in a.Sectors.Where(s => s.Vocabulary == "1")) Code("sector/@code", "Sector",
            IatiCodelists.Sector, s.Code);
        foreach (var s in a.Sectors) Code("sector/@vocabulary", "SectorVocabulary", IatiCodelists.SectorVocabulary,
            s.Vocabulary);
        foreach (var group in a.Sectors.GroupBy(s => s.Vocabulary))
            if (group.Count() > 1 && group.Sum(s => s.Percentage ?? 0) != 100)
                Warn($"sector[@vocabulary={group.Key}]/@percentage", "percentages-sum", IatiMessages.Percentages,
                    Sum(group));

        for (var i = 0; i < a.Budgets.Count; i++)
        {
            var b = a.Budgets[i];
            if (b.Start is { } start && b.End is { } end && end < start)
                Warn($"budget[{i + 1}]/period-end", "date-order", IatiMessages.EndBeforeStart,
                    $"{start:yyyy-MM-dd} > {end:yyyy-MM-dd}");
            if (b.Value is { } v) CheckValue(v, $"budget[{i + 1}]/value");
        }
        for (var i = 0; i < a.PlannedDisbursements.Count; i++)
            if (a.PlannedDisbursements[i].Value is { } v) CheckValue(v, $"planned-disbursement[{i + 1}]/value");
        for (var i = 0; i < a.Transactions.Count; i++)
        {
            var t = a.Transactions[i];
            Code($"transaction[{i + 1}]/transaction-type/@code", "TransactionType", IatiCodelists.TransactionType,
                t.Type);
            if (t.Value is { } v) CheckValue(v, $"transaction[{i + 1}]/value");
        }
        foreach (var r in a.RelatedActivities) Code("related-activity/@type", "RelatedActivityType",
            IatiCodelists.RelatedActivityType, r.Type);
        return problems;

        void CheckValue(IatiValue v, string path)
        {
            // Without a currency or a value date an amount cannot be converted: the Standard requires both.
            if (v.Currency is null) Warn($"{path}/@currency", "currency", IatiMessages.CurrencyMissing);
            else Code($"{path}/@currency", "Currency", IatiCodelists.Currency, v.Currency);
            if (v.ValueDate is null && !Unread($"{path}/@value-date"))
                Warn($"{path}/@value-date", "required", IatiMessages.ValueDateMissing);
        }
    }

    /// <summary>The 2.x codes of the Version codelist (a 1.x file is refused whole by the reader).</summary>
    private static readonly HashSet<string> Versions = new(StringComparer.Ordinal) { "2.01", "2.02", "2.03" };

    /// <summary>The term that names a value's type in the reader's language.</summary>
    public static string KindTerm(IatiValueKind kind) => kind switch
    {
        IatiValueKind.Date => "IatiValueKind.date",
        IatiValueKind.DateTime => "IatiValueKind.date-time",
        IatiValueKind.Decimal => "IatiValueKind.decimal",
        IatiValueKind.Boolean => "IatiValueKind.boolean",
        _ => "IatiValueKind.integer",
    };

    private static string Sum(IEnumerable<IatiShare> shares)
        => shares.Sum(r => r.Percentage ?? 0).ToString(CultureInfo.InvariantCulture);
}
