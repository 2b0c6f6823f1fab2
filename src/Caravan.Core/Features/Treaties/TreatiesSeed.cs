using Caravan.Features.Documents;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Shared;

namespace Caravan.Features.Treaties;

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

/// <summary>
/// A treaty's entry-into-force clause and ratification steps, read from its row in <c>documents</c> (the clause
/// is written with the document, by <see cref="DocumentsSeedSection"/>; the steps are their own records).
/// </summary>
public sealed class TreatiesSeedSection : SeedSection
{
    public override string? Property => null;
    public override int Order => 550;
    public override IEnumerable<SeededEntity> Entities =>
        [new(typeof(RatificationStep), SubjectTypes.RatificationStep)];

    public override void Validate(SeedValidation v)
    {
        var rows = v.Dataset.Documents;
        for (var i = 0; i < rows.Count; i++)
        {
            var x = rows[i]; var at = $"$.documents[{i}]";
            if (x.EntryIntoForce is { } rule)
            {
                v.Enum<EntryIntoForceKind>($"{at}.entryIntoForce.rule", rule.Rule);
                if (SeedEnums.TryParse<EntryIntoForceKind>(rule.Rule, out var kind)
                    && new EntryIntoForceRule(kind, rule.Days, rule.Instruments).Problem(x.Parties.Count)
                        is { } problem)
                    v.Fail($"{at}.entryIntoForce", problem == TreatyMessages.RuleDays
                        ? "days must be 0 to 3650" : "instruments must be 1 to the number of parties");
            }
            for (var j = 0; j < x.Ratification.Count; j++)
            {
                var step = x.Ratification[j]; var sat = $"{at}.ratification[{j}]";
                if (!x.Parties.Contains(step.State))
                    v.Fail($"{sat}.state", $"'{step.State}' is not a party to this treaty");
                v.Enum<RatificationStepKind>($"{sat}.step", step.Step);
                v.Date($"{sat}.on", step.On);
                if (x.Ratification.Take(j).Any(o => o.State == step.State && o.Step == step.Step))
                    v.Fail($"{sat}", "this step of this state is listed twice");
                if (PartialDate.TryParse(step.On, out var on) && PartialDate.TryParse(x.SignedOn, out var signed)
                    && step.Step != "signature" && on.Latest < signed.Earliest)
                    v.Fail($"{sat}.on", $"{step.On} is before the signature ({x.SignedOn})");
                v.Cited(sat, step);
            }
        }
    }

    public override async Task ImportAsync(SeedImport import, CancellationToken ct)
    {
        var steps = import.Dataset.Documents
            .SelectMany(doc => doc.Ratification.Select(step => (Document: doc.Id, Step: step))).ToList();
        static string Key((string Document, SeedRatificationStep Step) r) =>
            RatificationStep.KeyOf(r.Document, r.Step.State, SeedEnums.Parse<RatificationStepKind>(r.Step.Step));
        await import.UpsertAsync(import.Db.RatificationSteps, steps, Key,
            r => new RatificationStep { Id = Key(r), DocumentId = r.Document, StateId = r.Step.State }, (r, e) =>
            {
                e.Kind = SeedEnums.Parse<RatificationStepKind>(r.Step.Step);
                e.On = SeedImport.Date(r.Step.On);
                e.Note = r.Step.Note;
                e.EvidenceUrl = r.Step.Evidence;
            }, ct);
        import.Cite(SubjectTypes.RatificationStep, steps, Key, r => r.Step);
    }
}
