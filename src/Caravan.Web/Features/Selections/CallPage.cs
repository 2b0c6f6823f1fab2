using Caravan.Features.Accounts;
using Caravan.Features.Selections;
using Caravan.Web.Features.Shared;

namespace Caravan.Web.Features.Selections;

/// <summary>What the call's page shows one caller: the call as they may see it, and what their forms need.</summary>
public sealed class CallPage
{
    public required SelectionView View { get; init; }
    public IReadOnlyList<SelectionJuror> Jurors { get; init; } = [];
    public IReadOnlyList<CaravanUser> Appointable { get; init; } = [];
    public IReadOnlyList<string> States { get; init; } = [];
    public List<FormProblem> Problems { get; } = [];
    /// <summary>The form that was sent and refused, with its values, to show them again.</summary>
    public string? PostedForm { get; set; }
    public IFormCollection? Posted { get; set; }

    public string Value(string form, string name, string? otherwise = null) =>
        PostedForm == form && Posted is not null ? Posted[name].ToString() : otherwise ?? "";

    public static async Task<CallPage?> LoadAsync(Caravan.Features.Selections.Selections selections,
        Caravan.Features.Mechanism.MechanismQueries mechanism, Caller? caller, string id, CancellationToken ct)
    {
        var view = await selections.ViewAsync(caller, id, ct);
        if (view is null) return null;
        var runs = Access.CanRunSelections(caller);
        return new CallPage
        {
            View = view,
            Jurors = runs ? await selections.JurorsAsync(id, ct) : [],
            Appointable = view.Rights.AppointJurors ? await selections.AppointableAsync(ct) : [],
            States = [.. (await mechanism.StatesAsync(ct)).Select(s => s.Id)],
        };
    }
}
