using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Caravan.Web.Features.Shared;

/// <summary>A problem with what someone entered: which field, and what is wrong, in their language.</summary>
public sealed record FormProblem(string Field, string Message);

public static class FormProblems
{
    /// <summary>Model-binding problems (a malformed number…) as form problems.</summary>
    public static IEnumerable<FormProblem> Of(ModelStateDictionary state) =>
        state.Where(e => e.Value?.Errors.Count > 0)
            .SelectMany(e => e.Value!.Errors.Select(x => new FormProblem(e.Key, x.ErrorMessage)));
}
