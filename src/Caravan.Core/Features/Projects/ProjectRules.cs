using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Caravan.Features.Projects;

/// <summary>The rules that turn an IATI activity into a stored project: plain functions, no database.</summary>
public static class ProjectRules
{
    /// <summary>
    /// AidData's stage from IATI's status: in the pipeline, a project with a commitment transaction is a
    /// commitment, otherwise a pledge; implementing is implementation; finalisation and closed are completion.
    /// </summary>
    public static ProjectStage StageOf(string? status, bool hasCommitment) => status switch
    {
        "2" => ProjectStage.Implementation,
        "3" or "4" => ProjectStage.Completion,
        "5" => ProjectStage.Cancelled,
        "6" => ProjectStage.Suspended,
        _ => hasCommitment ? ProjectStage.Commitment : ProjectStage.Pledge,
    };

    /// <summary>The stored row, its transactions and countries for an activity (its id given by the store).</summary>
    public static (Project Project, List<ProjectTransaction> Transactions, List<ProjectCountry> Countries) ToRows(
        IatiActivity a, long id, string json, DateTimeOffset now, string by)
    {
        var dates = a.Dates;
        var transactions = new List<ProjectTransaction>(a.Transactions.Count);
        foreach (var t in a.Transactions)
        {
            // Only amounts that can be placed in time and converted are projected for totals; the record keeps all.
            if (t.Type is null || t.Date is not { } on || t.Value is not { Currency: { } currency } value) continue;
            transactions.Add(new ProjectTransaction
            {
                ProjectId = id, Seq = transactions.Count + 1, Type = t.Type, Date = on, Year = on.Year,
                Amount = value.Amount, Currency = currency, ValueDate = value.ValueDate ?? on,
            });
        }
        var project = new Project
        {
            Id = id,
            IatiIdentifier = a.Identifier,
            ReportingOrgRef = a.ReportingOrgRef,
            Titles = System.Text.Json.JsonSerializer.Serialize(a.Titles, TitleJson.Default.ListIatiNarrative),
            SearchText = SearchTextOf(a.Identifier, a.Titles),
            Status = a.Status,
            Stage = StageOf(a.Status, a.Transactions.Any(t => t.Type == "2")),
            PlannedStart = dates.TryGetValue("1", out var d1) ? d1 : null,
            ActualStart = dates.TryGetValue("2", out var d2) ? d2 : null,
            PlannedEnd = dates.TryGetValue("3", out var d3) ? d3 : null,
            ActualEnd = dates.TryGetValue("4", out var d4) ? d4 : null,
            DefaultCurrency = a.DefaultCurrency,
            ParentIdentifier = a.RelatedActivities.FirstOrDefault(r => r.Type == "1")?.Ref,
            TransactionCount = transactions.Count,
            Activity = json,
            ContentHash = Hash(json),
            UpdatedAt = now,
            UpdatedBy = by,
        };
        return (project, transactions, CountriesOf(a, id));
    }

    /// <summary>Recipient countries with their shares: one country without a percentage has all of it.</summary>
    public static List<ProjectCountry> CountriesOf(IatiActivity a, long id)
    {
        var countries = a.RecipientCountries.Where(c => c.Code.Length == 2).DistinctBy(c => c.Code).ToList();
        if (countries.Count == 1 && a.RecipientRegions.Count == 0)
            return [new ProjectCountry { ProjectId = id, CountryCode = countries[0].Code,
                Percentage = countries[0].Percentage ?? 100 }];
        return [.. countries.Select(
            c => new ProjectCountry { ProjectId = id, CountryCode = c.Code, Percentage = c.Percentage ?? 0 })];
    }

    /// <summary>
    /// The title in the reader's language from the stored narratives, else English, else the first one given.
    /// </summary>
    public static string TitleIn(string titlesJson, string language)
    {
        var titles = System.Text.Json.JsonSerializer.Deserialize(titlesJson, TitleJson.Default.ListIatiNarrative) ?? [];
        return (titles.FirstOrDefault(t => t.Language == language) ?? titles.FirstOrDefault(
            t => t.Language == "en") ?? titles.FirstOrDefault())?.Text ?? "";
    }

    /// <summary>
    /// What the text search looks in: the identifier and the titles in every language, one per line, lower case.
    /// </summary>
    public static string SearchTextOf(string identifier, IEnumerable<IatiNarrative> titles) =>
        string.Join('\n', titles.Select(t => t.Text).Prepend(identifier)).ToLowerInvariant();

    /// <summary>
    /// The search text's form of what a reader typed (the same folding as <see cref="SearchTextOf"/>).
    /// </summary>
    public static string SearchNeedle(string typed) => typed.Trim().ToLowerInvariant();

    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>
    /// What changed between two versions of an activity, as the names of the parts that differ
    /// (title, transactions, …) with a count where a list grew or shrank. Empty when they are equal.
    /// </summary>
    public static List<string> Diff(string before, string after)
    {
        if (before == after) return [];
        var a = JsonNode.Parse(before)!.AsObject();
        var b = JsonNode.Parse(after)!.AsObject();
        var changes = new List<string>();
        foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
        {
            var x = a[key];
            var y = b[key];
            if (JsonNode.DeepEquals(x, y)) continue;
            changes.Add(x is JsonArray xs && y is JsonArray ys
                && xs.Count != ys.Count ? $"{key} ({xs.Count} → {ys.Count})"
                : x is null ? $"{key} (added)" : y is null ? $"{key} (removed)" : key);
        }
        return changes;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<IatiNarrative>))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(
    PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
internal sealed partial class TitleJson : System.Text.Json.Serialization.JsonSerializerContext;
