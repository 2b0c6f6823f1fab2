using System.Globalization;
using System.Text.Json;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Mechanism;
using Caravan.Features.Projects;
using Caravan.Features.Rounds;
using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Rounds;

/// <summary>
/// A round answered by spreadsheet: a coordinator (or the secretariat, for any state) downloads the state's template,
/// uploads it filled in, sees every change and every problem, and confirms; the rows become submissions together.
/// </summary>
[Authorize(Policy = AccountSetup.Writer)]
[RequestSizeLimit(RoundSheets.MaxBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = RoundSheets.MaxBytes + 64 * 1024)]
public sealed class SheetModel(CaravanDbContext db, RoundSheets sheets, IConfiguration config, TimeProvider clock,
    IDataProtectionProvider protection, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>The checked file, kept between the preview and the confirmation (sealed: only this app reads it).</summary>
    private sealed record Pending(string User, string Round, string State, string Mode, string FileName, byte[] Bytes,
        DateTimeOffset Checked);

    public Round Round { get; private set; } = null!;
    public List<MemberState> States { get; private set; } = [];
    public bool IsSecretariat { get; private set; }
    public string? OwnState { get; private set; }
    [BindProperty(SupportsGet = true)] public string? State { get; set; }
    [BindProperty(SupportsGet = true)] public string? Lang { get; set; }
    [BindProperty] public string Mode { get; set; } = "all";
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public string? Token { get; set; }
    public string? Refusal { get; private set; }
    public SheetOutcome? Outcome { get; private set; }
    public bool Confirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>The template, as the API gives it (<c>GET /api/v1/rounds/{id}/sheet</c>).</summary>
    public async Task<IActionResult> OnGetTemplateAsync(string id, string? format, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var language = SheetWords.LanguageOf(Lang) ?? LocalizedText.LanguageOf(CultureInfo.CurrentUICulture);
        var (file, refusal) = await SheetWords.TemplateFileAsync(db, sheets, HttpContext.GetCaller(), id, State,
            language, format == "csv" ? "csv" : "xlsx", ct);
        if (refusal is not null)
        {
            Refusal = MessageFormatter.Format(l, refusal.Message);
            Response.StatusCode = refusal.Status;
            return Page();
        }
        Response.Headers.CacheControl = "private, no-store";
        return File(file!.Bytes, file.ContentType, file.Name);
    }

    /// <summary>Checks the uploaded sheet and shows what it would change; nothing is stored.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Mode = Mode == "rows" ? "rows" : "all";
        if (Upload is null || Upload.Length == 0)
            return Refuse(new SheetRefusal(400, new Message(RoundSheetMessages.NoFile)));
        if (Upload.Length > RoundSheets.MaxBytes)
            return Refuse(new SheetRefusal(413,
                new Message(RoundSheetMessages.TooLarge, RoundSheets.MaxBytes / (1024 * 1024))));
        using var memory = new MemoryStream();
        await Upload.CopyToAsync(memory, ct);
        var bytes = memory.ToArray();
        var fileName = Path.GetFileName(Upload.FileName);
        var (outcome, refusal) = await RunAsync(id, State, bytes, fileName, submit: false, ct);
        if (refusal is not null) return Refuse(refusal);
        Outcome = outcome;
        if (outcome!.Accepted > 0 && (Mode == "rows" || outcome.Refused == 0))
            Token = Protector.Protect(JsonSerializer.Serialize(new Pending(HttpContext.GetCaller()!.UserId, id,
                outcome.StateId, Mode, fileName, bytes, clock.GetUtcNow())));
        if (outcome.Refused > 0) Response.StatusCode = 422;
        return Page();
    }

    /// <summary>Submits what the preview showed, checked again as it stands now.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Pending? pending = null;
        try
        {
            if (Token is not null) pending = JsonSerializer.Deserialize<Pending>(Protector.Unprotect(Token));
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException) { }
        // A preview is confirmed by the person who made it, for this round, within the hour.
        if (pending is null || pending.Round != id || pending.User != HttpContext.GetCaller()!.UserId
            || clock.GetUtcNow() - pending.Checked > TimeSpan.FromHours(1))
            return Refuse(new SheetRefusal(400, new Message(RoundSheetMessages.NoFile)));
        Mode = pending.Mode;
        State = pending.State;
        var (outcome, refusal) = await RunAsync(id, pending.State, pending.Bytes, pending.FileName, submit: true, ct);
        if (refusal is not null) return Refuse(refusal);
        Outcome = outcome;
        Confirmed = outcome!.Stored;
        Token = null;
        if (!outcome.Stored) Response.StatusCode = 422;
        return Page();
    }

    private IDataProtector Protector => protection.CreateProtector("Caravan.RoundSheet.Pending");

    private async Task<(SheetOutcome?, SheetRefusal?)> RunAsync(string id, string? state, byte[] bytes,
        string fileName, bool submit, CancellationToken ct)
    {
        // A person's notes, numbers and dates are read in the language of the page they are on.
        var language = LocalizedText.LanguageOf(CultureInfo.CurrentUICulture);
        var words = await SheetWords.VocabularyAsync(db, language, ct);
        return await sheets.CheckAsync(HttpContext.GetCaller(), id, state, bytes, fileName, words,
            SheetWords.Reading(language), UploadSettings.Read(config), perRow: Mode == "rows", submit, ct);
    }

    private PageResult Refuse(SheetRefusal refusal)
    {
        Refusal = MessageFormatter.Format(l, refusal.Message);
        Response.StatusCode = refusal.Status == 401 ? 403 : refusal.Status;
        return Page();
    }

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        var caller = HttpContext.GetCaller();
        var round = await db.Set<Round>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (round is null || caller is null) return false;
        Round = round;
        IsSecretariat = caller.IsSecretariat;
        OwnState = caller.Role == CaravanRole.NationalCoordinator ? caller.StateId : null;
        States = [.. (await db.MemberStates.AsNoTracking().ToListAsync(ct)).OrderBy(s => s.Id, StringComparer.Ordinal)];
        return true;
    }

    /// <summary>A field's name as the edit form shows it ("Evidence (Russian)", "佐证材料（俄文）").</summary>
    public string FieldName(string field)
    {
        var dot = field.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? l["field." + field]
            : string.Format(CultureInfo.CurrentCulture, l["sheet.in-language"], l["field." + field[..dot]].Value,
                l["language." + field[(dot + 1)..]].Value);
    }

    /// <summary>A value as the reader reads it: a choice's name, a date in their style, a number in their digits.</summary>
    public string Shown(string kind, string field, string? value)
    {
        if (value is null) return "—";
        var f = RecordKind.Named(kind)?.Fields.FirstOrDefault(x => x.Name == field);
        return f?.Kind switch
        {
            FieldKind.Choice when f.ChoiceNames is { } names => l[names + "." + value],
            FieldKind.Date when PartialDate.TryParse(value, out var d) => d.Format(CultureInfo.CurrentCulture),
            FieldKind.Number when decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture,
                out var n) => n.ToString("#,0.##########", CultureInfo.CurrentCulture),
            _ => value,
        };
    }
}
