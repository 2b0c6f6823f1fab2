using System.Security.Cryptography;
using System.Text;
using Caravan.Features.Mechanism;
using Caravan.Features.Documents;
using Caravan.Features.Seed;
using Caravan.Features.Sources;
using Caravan.Features.Treaties;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Seed
{
    public sealed partial record SeedDataset
    {
        public List<SeedDocument> Documents { get; init; } = [];
    }
}

namespace Caravan.Features.Documents
{
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

    public sealed record SeedDocumentText(string Language, bool Authentic, bool Partial, string? Source,
        List<SeedProvision> Provisions);

    public sealed record SeedProvision(string Number, string? Label, string Text);

    /// <summary>
    /// The <c>documents</c> section: outcome documents with their parties and texts. A treaty's entry into force
    /// and ratification steps, nested in its row, are the Treaties section's (<see cref="TreatiesSeedSection"/>).
    /// </summary>
    public sealed class DocumentsSeedSection : SeedSection
    {
        public override string Property => "documents";
        public override int Order => 500;
        public override IEnumerable<SeededEntity> Entities => [new(typeof(OutcomeDocument), SubjectTypes.Document)];

        public override void Validate(SeedValidation v)
        {
            var rows = v.Dataset.Documents;
            v.Ids(Property, rows, x => x.Id);
            var (states, meetings) = (v.IdsOf<MemberStatesSeedSection>(), v.IdsOf<MeetingsSeedSection>());
            for (var i = 0; i < rows.Count; i++)
            {
                var x = rows[i]; var at = $"$.documents[{i}]";
                v.Enum<DocumentKind>($"{at}.kind", x.Kind);
                v.Enum<DocumentScope>($"{at}.scope", x.Scope);
                v.Text($"{at}.title", x.Title, required: true);
                v.Ref($"{at}.meeting", x.Meeting, meetings, "meeting");
                v.Date($"{at}.signedOn", x.SignedOn);
                if (x.Parties.Count == 0) v.Fail($"{at}.parties", "a document needs its parties");
                for (var j = 0; j < x.Parties.Count; j++)
                    v.Ref($"{at}.parties[{j}]", x.Parties[j], states, "member state");
                if (x.Parties.Distinct().Count() != x.Parties.Count) v.Fail($"{at}.parties", "a party is listed twice");
                // A group of bilateral agreements whose other parties no source names lists the one party known,
                // and says so.
                if (x.Scope == "bilateral" && x.Parties.Count == 1 && x.Note is null)
                    v.Fail($"{at}.parties",
                        "a bilateral document has two parties (one only when the note says the other is not known)");
                v.Translated($"{at}.translated", x.Translated);
                v.Cited(at, x);
                if ((x.EntryIntoForce is not null || x.Ratification.Count > 0) && x.Kind != "treaty")
                    v.Fail($"{at}.kind", "only a treaty has entry into force and ratification steps");
                for (var j = 0; j < x.Texts.Count; j++)
                {
                    var t = x.Texts[j]; var tat = $"{at}.texts[{j}]";
                    if (!DocumentText.Languages.Contains(t.Language))
                        v.Fail($"{tat}.language",
                            $"'{t.Language}' is not one of {string.Join(", ", DocumentText.Languages)}");
                    if (t.Source is not null && !v.Dataset.Sources.ContainsKey(t.Source))
                        v.Fail($"{tat}.source", $"no source '{t.Source}'");
                    if (t.Provisions.Count == 0) v.Fail($"{tat}.provisions", "a text has at least one provision");
                    if (t.Provisions.Select(p => p.Number).Distinct().Count() != t.Provisions.Count)
                        v.Fail($"{tat}.provisions", "a provision number is listed twice");
                    if (t.Provisions.Any(p => string.IsNullOrWhiteSpace(p.Text)))
                        v.Fail($"{tat}.provisions", "a provision has no text");
                }
            }
        }

        public override async Task ImportAsync(SeedImport import, CancellationToken ct)
        {
            var (db, rows) = (import.Db, import.Dataset.Documents);
            await import.UpsertAsync(db.Documents.Include(x => x.Parties), rows, r => r.Id,
                r => new OutcomeDocument { Id = r.Id, Title = r.Title }, (r, e) =>
                {
                    e.Kind = SeedEnums.Parse<DocumentKind>(r.Kind);
                    e.Scope = SeedEnums.Parse<DocumentScope>(r.Scope);
                    e.MeetingId = r.Meeting;
                    e.SignedOn = SeedImport.Date(r.SignedOn);
                    e.SignedAt = r.SignedAt;
                    e.Title = r.Title;
                    e.Translated = r.Translated;
                    e.Summary = r.Summary;
                    e.Note = r.Note;
                    e.EntryIntoForce = r.EntryIntoForce is null ? EntryIntoForceKind.Unknown
                        : SeedEnums.Parse<EntryIntoForceKind>(r.EntryIntoForce.Rule);
                    e.EntryIntoForceDays = r.EntryIntoForce?.Days ?? 0;
                    e.EntryIntoForceInstruments = r.EntryIntoForce?.Instruments ?? 0;
                    e.Parties.RemoveAll(p => !r.Parties.Contains(p.StateId));
                    foreach (var party in r.Parties.Where(p => e.Parties.All(x => x.StateId != p)))
                        e.Parties.Add(new DocumentParty { DocumentId = r.Id, StateId = party });
                }, ct);
            // Texts are versioned: a text whose content the database does not yet hold becomes a new version.
            foreach (var doc in rows)
                foreach (var t in doc.Texts)
                {
                    var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
                        string.Join("\n", t.Provisions.Select(p => $"{p.Number}\t{p.Label}\t{p.Text}")))));
                    var existing = await db.DocumentTexts.Where(x => x.DocumentId == doc.Id && x.Language == t.Language)
                        .Select(x => new { x.Version, x.Sha256 }).ToListAsync(ct);
                    if (existing.Any(x => x.Sha256 == sha)) continue;
                    var version = existing.Count == 0 ? 1 : existing.Max(x => x.Version) + 1;
                    var id = $"{doc.Id}:{t.Language}:{version}";
                    db.DocumentTexts.Add(new DocumentText
                    {
                        Id = id, DocumentId = doc.Id, Language = t.Language, Version = version,
                        Authentic = t.Authentic, Partial = t.Partial, SourceId = t.Source,
                        ImportedAt = DateTimeOffset.UtcNow, ImportedBy = "system:seed", Sha256 = sha,
                        Provisions = [.. t.Provisions.Select((p, i) => new Provision
                        {
                            Id = $"{id}:{p.Number}", TextId = id, Number = p.Number, Label = p.Label ?? p.Number,
                            Text = p.Text, Order = i,
                        })],
                    });
                }
            import.Cite(SubjectTypes.Document, rows, r => r.Id);
        }
    }
}
