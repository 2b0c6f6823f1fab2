using Caravan.Data;
using Caravan.Features.Projects;
using Caravan.Shared;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Features.Reports;

/// <summary>Why a report cannot be made, each naming what exists.</summary>
public static class ReportMessages
{
    /// <summary>{0} the snapshot asked for, {1} the snapshots there are.</summary>
    public static readonly MessageCode UnknownSnapshot = new("report.unknown-snapshot");
    /// <summary>{0} the language asked for, {1} the languages.</summary>
    public static readonly MessageCode UnknownLanguage = new("report.unknown-language");
    /// <summary>{0} the format asked for, {1} the formats.</summary>
    public static readonly MessageCode UnknownFormat = new("report.unknown-format");
    /// <summary>{0} the currency asked for, {1} the currencies the rates reach.</summary>
    public static readonly MessageCode UnknownCurrency = new("report.unknown-currency");
    /// <summary>{0} the state: a draft report is the state's own (its coordinator's, or the secretariat's).</summary>
    public static readonly MessageCode DraftNotYours = new("report.draft-not-yours");
    /// <summary>No reporting period is open: there is no draft to report.</summary>
    public static readonly MessageCode NoOpenPeriod = new("report.no-open-period");
    /// <summary>No closed snapshot yet: nothing to report.</summary>
    public static readonly MessageCode NoSnapshots = new("report.no-snapshots");
}

/// <summary>A report as a file to send or save.</summary>
public sealed record ReportFile(byte[] Bytes, string ContentType, string FileName, string ContentHash);

/// <summary>A refused request: the HTTP status it maps to, the field at fault, and the message.</summary>
public sealed record ReportRefusal(int Status, string Field, Message Message);

/// <summary>What a report can be asked for: the snapshots, languages, formats and currencies.</summary>
public sealed record ReportChoices(IReadOnlyList<string> Snapshots, IReadOnlyList<string> Languages,
    IReadOnlyList<string> Formats, IReadOnlyList<string> Currencies);

/// <summary>
/// Makes the summit progress report: checks the request, takes the snapshot's frozen facts (freezing them the first
/// time), builds the document in the language and currency asked for, and lays it out in the format asked for.
/// </summary>
public sealed class ReportMaker(CaravanDbContext db, TimeProvider clock)
{
    public static readonly IReadOnlyList<string> Formats = ["docx", "xlsx", "pdf"];
    public const string DefaultCurrency = ProjectQueries.DefaultCurrency;

    public static string ContentTypeOf(string format) => format switch
    {
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => ReportXlsx.ContentType,
        _ => "application/pdf",
    };

    public static string FileNameOf(string snapshotId, string language, string currency, string format) =>
        $"caravan-report-{snapshotId}-{language}-{currency}.{format}";

    /// <summary>The snapshots (latest period first) and the other choices.</summary>
    public async Task<ReportChoices> ChoicesAsync(CancellationToken ct)
    {
        var snapshots = await db.Snapshots.AsNoTracking()
            .Join(db.ReportingPeriods, s => s.PeriodId, p => p.Id, (s, p) => new { s.Id, p.Order })
            .OrderByDescending(x => x.Order).Select(x => x.Id).ToListAsync(ct);
        var currencies = await new ProjectQueries(db).CurrenciesAsync(ct);
        return new ReportChoices(snapshots, LocalizedText.Languages.Order(StringComparer.Ordinal).ToList(), Formats,
            [.. currencies]);
    }

    /// <summary>
    /// The format and language asked for, written as the lists write them, and the currency (USD when none is asked
    /// for); else why not, listing what exists.
    /// </summary>
    private sealed record Choice(string Language, string Format, string Currency);

    private static (Choice? Choice, ReportRefusal? Refusal) Choose(string? language, string? format, string? currency)
    {
        format = string.IsNullOrWhiteSpace(format) ? "" : format.Trim().ToLowerInvariant();
        if (!Formats.Contains(format))
            return (null, new(400, "format", new Message(ReportMessages.UnknownFormat, format, MessageArg.Join(Formats))));
        language = string.IsNullOrWhiteSpace(language) ? "" : language.Trim().ToLowerInvariant();
        if (!LocalizedText.Languages.Contains(language))
            return (null, new(400, "lang", new Message(ReportMessages.UnknownLanguage, language,
                MessageArg.Join(LocalizedText.Languages.Order(StringComparer.Ordinal)))));
        return (new(language, format,
            string.IsNullOrWhiteSpace(currency) ? DefaultCurrency : currency.Trim().ToUpperInvariant()), null);
    }

    /// <summary>
    /// The report, or why not: an unknown format or language (400), snapshot (404) or currency (400), each message
    /// listing what exists. <paramref name="words"/> gives the UI strings in a language.
    /// </summary>
    public async Task<(ReportFile? File, ReportRefusal? Refusal)> MakeAsync(string snapshotId, string? language,
        string? format, string? currency, Func<string, Func<string, string>> words, CancellationToken ct)
    {
        var (choice, refused) = Choose(language, format, currency);
        if (choice is null) return (null, refused);
        (language, format, currency) = (choice.Language, choice.Format, choice.Currency);
        var facts = await new ReportFactsStore(db, clock).EnsureFactsFrozenAsync(snapshotId, ct);
        if (facts is null)
        {
            var known = (await ChoicesAsync(ct)).Snapshots;
            return (null, new(404, "snapshot", known.Count == 0
                ? new Message(ReportMessages.NoSnapshots)
                : new Message(ReportMessages.UnknownSnapshot, snapshotId, MessageArg.Join(known))));
        }
        if (facts.Projects.All(p => p.Currency != currency))
            return (null, new(400, "currency", new Message(ReportMessages.UnknownCurrency, currency,
                MessageArg.Join(facts.Projects.Select(p => p.Currency)))));
        return (Layout(facts, language, format, currency, words, null), null);
    }

    /// <summary>
    /// A state's draft report: the open period with the state's own unpublished proposals shown and marked, "draft"
    /// on every page. Only that state's coordinator and the secretariat get it; never frozen. File name
    /// <c>caravan-draft-{state}-{period}-…</c>.
    /// </summary>
    public async Task<(ReportFile? File, ReportRefusal? Refusal)> MakeDraftAsync(Accounts.Caller? caller, string state,
        string? language, string? format, string? currency, Func<string, Func<string, string>> words,
        CancellationToken ct)
    {
        state = state.Trim().ToUpperInvariant();
        if (caller is null || !(caller is { IsSecretariat: true, SecondFactor: true }
                || caller is { Role: Accounts.CaravanRole.NationalCoordinator, SecondFactor: true } && caller.StateId == state))
            return (null, new(403, "state", new Message(ReportMessages.DraftNotYours, state)));
        var (choice, refused) = Choose(language, format, currency);
        if (choice is null) return (null, refused);
        (language, format, currency) = (choice.Language, choice.Format, choice.Currency);
        var states = await db.MemberStates.AsNoTracking().Select(s => s.Id).ToListAsync(ct);
        if (!states.Contains(state))
            return (null, new(404, "state", new Message(ReportMessages.DraftNotYours, state)));
        var store = new ReportFactsStore(db, clock);
        var facts = await db.ReadAsOneAsync(() => new ReportFactsReader(db).ReadDraftAsync(state,
            DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct), ct);
        if (facts is null) return (null, new(404, "snapshot", new Message(ReportMessages.NoOpenPeriod)));
        if (facts.Projects.All(p => p.Currency != currency))
            return (null, new(400, "currency", new Message(ReportMessages.UnknownCurrency, currency,
                MessageArg.Join(facts.Projects.Select(p => p.Currency)))));
        var name = facts.States.First(s => s.Id == state).Name.Pick(language).Text ?? state;
        var mark = string.Format(System.Globalization.CultureInfo.GetCultureInfo(language),
            words(language)("report.draft-mark"), name);
        var file = Layout(facts, language, format, currency, words, mark);
        return (file with { FileName = $"caravan-draft-{state}-{facts.SnapshotId}-{language}-{currency}.{format}" }, null);
    }

    private static ReportFile Layout(ReportFacts facts, string language, string format, string currency,
        Func<string, Func<string, string>> words, string? draftMark)
    {
        var document = ReportBuilder.Build(facts, language, currency, words(language), draftMark);
        using var output = new MemoryStream();
        switch (format)
        {
            case "docx": ReportDocx.Write(document, output); break;
            case "xlsx": ReportXlsx.Write(document, output); break;
            default: ReportPdf.Write(document, output); break;
        }
        return new ReportFile(output.ToArray(), ContentTypeOf(format),
            FileNameOf(facts.SnapshotId, language, currency, format), document.ContentHash());
    }
}
