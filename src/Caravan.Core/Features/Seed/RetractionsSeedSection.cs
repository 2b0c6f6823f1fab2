using Caravan.Data;
using Caravan.Features.Sources;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed;

/// <summary>
/// The <c>retractions</c> section (ADR 0007): records an earlier version listed that are withdrawn as false. It
/// comes last, as any kind a section declares retractable (<see cref="SeedSection.Retractables"/>) may be named.
/// </summary>
public sealed class RetractionsSeedSection : SeedSection
{
    public override string Property => "retractions";
    public override int Order => 10_000;

    public override void Validate(SeedValidation v)
    {
        var d = v.Dataset;
        var kinds = SeedSections.Retractables.Select(r => r.Kind).ToList();
        // A retraction names a record no current list holds (else it would be deleted and re-added at each load),
        // the version that withdrew it, and why, with sources.
        var current = SeedSections.Retractables.ToDictionary(r => r.Kind, r => r.Listed(d).ToHashSet());
        var retracted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < d.Retractions.Count; i++)
        {
            var x = d.Retractions[i]; var at = $"$.retractions[{i}]";
            if (!kinds.Contains(x.Kind ?? ""))
                v.Fail($"{at}.kind", $"'{x.Kind}' is not one of {string.Join(", ", kinds)}");
            else if (string.IsNullOrWhiteSpace(x.Id)) v.Fail($"{at}.id", "a retraction names the record's id");
            else
            {
                if (current[x.Kind!].Contains(x.Id))
                    v.Fail($"{at}.id", $"the {x.Kind} '{x.Id}' is still listed in this version: "
                        + "a retracted record is listed nowhere else");
                if (!retracted.Add(SeedRetraction.KeyOf(x.Kind!, x.Id)))
                    v.Fail($"{at}.id", $"the {x.Kind} '{x.Id}' is retracted twice");
                if (x.Kind == SeedRetractions.Assessment
                    && x.Id.Split(':') is not [{ Length: > 0 }, { Length: > 0 }, { Length: > 0 }])
                    v.Fail($"{at}.id", $"'{x.Id}' is not an assessment id (commitment:state:period)");
            }
            if (x.Version < 2 || x.Version > d.Version)
                v.Fail($"{at}.version", $"the version that retracted it: from 2 to this file's version ({d.Version})");
            if (x.Reason is null || LocalizedText.Languages.Any(l => string.IsNullOrWhiteSpace(x.Reason[l])))
                v.Fail($"{at}.reason", "a retraction says why, in en, zh and ru");
            v.Translated($"{at}.translated", x.Translated);
            v.Cited(at, x);
        }
    }

    public override async Task ImportAsync(SeedImport import, CancellationToken ct)
    {
        var rows = import.Dataset.Retractions;
        static string Key(SeedRetractionRow r) => SeedRetraction.KeyOf(r.Kind, r.Id);
        await import.UpsertAsync(import.Db.SeedRetractions, rows, Key,
            r => new SeedRetraction { Id = Key(r), Kind = r.Kind, RecordId = r.Id, Reason = r.Reason }, (r, e) =>
            {
                e.Version = r.Version;
                e.Reason = r.Reason;
                e.Translated = r.Translated;
            }, ct);
        import.Cite(SubjectTypes.Retraction, rows, Key);
    }

    /// <summary>
    /// Deletes the retracted records the database still holds, one audited save each so that every audit
    /// entry carries its own reason; their citations go with them. A record that anyone but the seed changed
    /// (its audit trail shows another actor, or a project was linked to the commitment) is kept and marked
    /// held: a seed file cannot overrule a decision taken through the workflow.
    /// </summary>
    internal static async Task<(int Retracted, List<string> Held)> RetractAsync(CaravanDbContext db, SeedDataset d,
        CancellationToken ct)
    {
        var count = 0;
        var held = new List<string>();
        var kinds = SeedSections.Retractables.ToDictionary(r => r.Kind);
        foreach (var r in d.Retractions)
        {
            if (!kinds.TryGetValue(r.Kind, out var kind) || await kind.FindAsync(db, r.Id, ct) is not { } found)
            {
                // Never loaded, or already gone (the secretariat removed a held record): nothing is held any more.
                if (await db.SeedRetractions.FirstOrDefaultAsync(x => x.Id == SeedRetraction.KeyOf(r.Kind, r.Id), ct)
                    is { Held: true } gone)
                {
                    gone.Held = false;
                    db.Actor = new Audit.AuditActor(SeedOwnership.SeedActor, "system",
                        $"retraction no longer held: {r.Kind} {r.Id} is gone");
                    await db.SaveChangesAsync(ct);
                }
                continue;
            }
            var subjects = found.Rows.Select(row => (
                AuditType: SeedOwnership.AuditTypeOf(row.GetType()),
                CitationType: SeedOwnership.CitedAsOf(row.GetType()),
                Id: (string)db.Entry(row).Property("Id").CurrentValue!)).ToList();
            var key = SeedRetraction.KeyOf(r.Kind, r.Id);
            var retraction = await db.SeedRetractions.FirstAsync(x => x.Id == key, ct);
            // The same rule as for updates (SeedOwnership): a row and its citations are one record, and a refused
            // attempt changed nothing.
            var auditKeys = subjects.Select(s => s.AuditType + "\n" + s.Id)
                .Concat(subjects.Where(s => s.CitationType.Length > 0)
                    .Select(s => SeedOwnership.CitationType + "\n" + s.CitationType + "/" + s.Id)).ToHashSet();
            var auditTypes = auditKeys.Select(k => k.Split('\n')[0]).Distinct().ToList();
            var auditIds = auditKeys.Select(k => k.Split('\n')[1]).Distinct().ToList();
            var ids = subjects.Select(s => s.Id).ToList();
            var changedElsewhere = found.Linked
                || (await db.AuditEntries.AsNoTracking()
                    .Where(e => auditTypes.Contains(e.SubjectType) && auditIds.Contains(e.SubjectId)
                        && e.Actor != SeedOwnership.SeedActor && e.Action != "refused")
                    .Select(e => new { e.SubjectType, e.SubjectId }).Distinct().ToListAsync(ct))
                    .Any(e => auditKeys.Contains(e.SubjectType + "\n" + e.SubjectId));
            if (changedElsewhere)
            {
                retraction.Held = true;
                held.Add(key);
            }
            else
            {
                retraction.Held = false;
                var citationIds = subjects.Where(s => s.CitationType.Length > 0)
                    .Select(s => s.CitationType + "\n" + s.Id).ToHashSet();
                db.Citations.RemoveRange((await db.Citations.Where(x => ids.Contains(x.SubjectId)).ToListAsync(ct))
                    .Where(x => citationIds.Contains(x.SubjectType + "\n" + x.SubjectId)));
                foreach (var row in found.Rows) db.Remove(row);
                count++;
            }
            db.Actor = new Audit.AuditActor(SeedOwnership.SeedActor, "system",
                $"{(changedElsewhere ? "retraction held (changed through the workflow after seeding)" : "retracted")} "
                + $"by seed dataset {d.Dataset} version {r.Version}: {r.Reason.En}");
            await db.SaveChangesAsync(ct);
        }
        return (count, held);
    }
}
