namespace Caravan.Features.Accounts;

/// <summary>
/// Who is asking, as far as the rules care: role, state or bodies, and whether they proved a second
/// factor. Built once per request from the signed-in user or the access token.
/// </summary>
public sealed record Caller(string UserId, string Name, CaravanRole Role, string? StateId, IReadOnlySet<string> BodyIds,
    bool SecondFactor, bool ReadOnly = false)
{
    public bool IsSecretariat => Role is CaravanRole.SecretariatAdmin or CaravanRole.SecretariatEditor;

    /// <summary>
    /// The role as written in the audit trail: <c>national-coordinator:KZ</c>, <c>programme-officer</c>…
    /// </summary>
    public string AuditRole => Role switch
    {
        CaravanRole.NationalCoordinator => $"{RoleName(Role)}:{StateId}",
        _ => RoleName(Role),
    };

    public static string RoleName(CaravanRole role) => Caravan.Features.Seed.SeedEnums.ToKebab(role.ToString());
}

/// <summary>Whose business a record is: the member states it is about and the bodies that run it.</summary>
public sealed record RecordScope(IReadOnlyList<string> States, IReadOnlyList<string> Bodies)
{
    /// <summary>A record of the mechanism as a whole: only the secretariat writes it.</summary>
    public static readonly RecordScope Mechanism = new([], []);
    public static RecordScope OfState(string state) => new([state], []);
    public static RecordScope OfBody(string body) => new([], [body]);

    /// <summary>
    /// A record about two or more states needs each of their coordinators to confirm a change; so does a
    /// record about a state that a body runs (a programme's ledger entry): the state's coordinator confirms
    /// the officer's figures for their state.
    /// </summary>
    public bool NeedsConfirmationFromEachState => States.Count >= 2 || (States.Count >= 1 && Bodies.Count >= 1);
}

/// <summary>What a caller may do with a record.</summary>
public enum WriteRight
{
    /// <summary>No right to change it.</summary>
    None,
    /// <summary>May propose a change, which the secretariat validates before the public sees it.</summary>
    Submit,
    /// <summary>May change it directly (the secretariat), the change being audited.</summary>
    Direct,
}

/// <summary>
/// The scoping rules, in one place. Every page and API endpoint that reads unpublished work or changes a
/// record asks here; nothing else decides.
/// </summary>
public static class Access
{
    public static WriteRight WriteRightOn(Caller? caller, RecordScope scope)
    {
        if (caller is null || !caller.SecondFactor || caller.ReadOnly) return WriteRight.None;
        if (caller.IsSecretariat) return WriteRight.Direct;
        return IsInScope(caller, scope) ? WriteRight.Submit : WriteRight.None;
    }

    /// <summary>Unpublished work on a record is visible to the secretariat and to those whose record it is.</summary>
    public static bool CanSeeUnpublished(Caller? caller, RecordScope scope) =>
        caller is not null && (caller.IsSecretariat || IsInScope(caller, scope));

    /// <summary>
    /// The state whose confirmation this caller gives on a record that needs its states' confirmation, if any.
    /// </summary>
    public static string? ConfirmsFor(Caller? caller, RecordScope scope) =>
        caller is { Role: CaravanRole.NationalCoordinator, SecondFactor: true, ReadOnly: false }
            && scope.NeedsConfirmationFromEachState && scope.States.Contains(caller.StateId!)
            ? caller.StateId : null;

    public static bool CanValidate(Caller? caller)
        => caller is { IsSecretariat: true, SecondFactor: true, ReadOnly: false };

    public static bool CanManageAccounts(Caller? caller)
        => caller is { Role: CaravanRole.SecretariatAdmin, SecondFactor: true, ReadOnly: false };

    public static bool CanReadAuditLog(Caller? caller) => caller is { IsSecretariat: true, SecondFactor: true };

    /// <summary>
    /// Unpublished projects (drafts, e.g. in the project sheet's export) are the secretariat's to see.
    /// </summary>
    public static bool CanSeeDraftProjects(Caller? caller) => caller is { IsSecretariat: true, SecondFactor: true };

    /// <summary>
    /// Projects are changed in bulk (CSV/XLSX) by the secretariat only, as it validates everything else.
    /// </summary>
    public static bool CanBulkEditProjects(Caller? caller) => CanValidate(caller);

    // ---- The culture and tourism capital selection ----------------------------------------------

    /// <summary>
    /// The secretariat runs a selection: creates the call, appoints the jury, moves the phases, records and publishes
    /// the decision.
    /// </summary>
    public static bool CanRunSelections(Caller? caller) => CanValidate(caller);

    /// <summary>A call still in preparation is the secretariat's to see.</summary>
    public static bool CanSeeDraftSelections(Caller? caller) => caller is { IsSecretariat: true, SecondFactor: true };

    /// <summary>A state's nomination is made by its national coordinator, for that state only.</summary>
    public static bool CanNominateFor(Caller? caller, string stateId) =>
        caller is { Role: CaravanRole.NationalCoordinator, SecondFactor: true, ReadOnly: false }
            && caller.StateId == stateId;

    /// <summary>
    /// A juror's seat is personal: only the appointed person scores and declares conflicts on it (not even the
    /// secretariat).
    /// </summary>
    public static bool ActsAsJuror(Caller? caller, string jurorUserId) =>
        caller is { SecondFactor: true, ReadOnly: false } && caller.UserId == jurorUserId;

    /// <summary>
    /// Scores are secret until the call closes: before, a juror sees only their own and the secretariat only
    /// how many were given; once closed, the secretariat sees every score, the ranking and the means; once the
    /// decision is published, everyone sees the ranking and the means (individual scores stay with the secretariat).
    /// </summary>
    public static bool CanSeeAllScores(Caller? caller, Caravan.Features.Selections.SelectionPhase phase) =>
        caller is { IsSecretariat: true, SecondFactor: true }
            && phase >= Caravan.Features.Selections.SelectionPhase.Closed;

    public static bool CanSeeRanking(Caller? caller, Caravan.Features.Selections.SelectionPhase phase,
        bool decisionPublished) =>
        decisionPublished || CanSeeAllScores(caller, phase);

    /// <summary>How far the jury has got (counts, never values): the secretariat, in every phase.</summary>
    public static bool CanSeeScoringProgress(Caller? caller) => caller is { IsSecretariat: true, SecondFactor: true };

    private static bool IsInScope(Caller caller, RecordScope scope) => caller.Role switch
    {
        CaravanRole.SecretariatAdmin or CaravanRole.SecretariatEditor => true,
        CaravanRole.NationalCoordinator => caller.StateId is not null && scope.States.Contains(caller.StateId),
        CaravanRole.ProgrammeOfficer => scope.Bodies.Any(caller.BodyIds.Contains),
        _ => false,
    };
}
