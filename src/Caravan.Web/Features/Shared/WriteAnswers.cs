using Caravan.Features.Submissions;
using Caravan.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Caravan.Web.Features.Shared;

/// <summary>
/// Every write's answer, from its <see cref="WriteOutcome{T}"/>: one mapping for the API (status, problem details in
/// the caller's language, a validation problem naming each field) and one for the portal's pages (status and the
/// problems beside the form). What a success returns is the endpoint's; everything else is decided here.
/// </summary>
public static class WriteAnswers
{
    /// <summary>
    /// The title of a validation problem when the endpoint gives none (the API's answer to any bad input).
    /// </summary>
    public const string InvalidTitle = "Invalid query parameters";

    /// <summary>
    /// The API's answer: <paramref name="succeeded"/> for a write that went through; 400 with the problems per field;
    /// 403 and 409 as problem details told with the first problem (a conflict with the <paramref name="conflict"/>
    /// extensions, what stands now); 404 as for any path that names nothing.
    /// </summary>
    public static async Task<IResult> ToApiAsync<T>(this WriteOutcome<T> outcome, HttpContext http, IStringLocalizer l,
        Func<WriteOutcome<T>, Task<IResult>> succeeded,
        Func<WriteOutcome<T>, Task<IDictionary<string, object?>>>? conflict = null,
        string? invalidTitle = null) => outcome.Outcome switch
    {
        _ when outcome.Succeeded => await succeeded(outcome),
        ChangeOutcome.Invalid => Invalid(outcome.Problems, l, invalidTitle),
        ChangeOutcome.NotFound => Api.NotFound(http),
        ChangeOutcome.Forbidden => TypedResults.Problem(statusCode: 403, title: l["problem.forbidden"],
            detail: Detail(outcome, l)),
        _ => TypedResults.Problem(statusCode: 409, title: l["problem.conflict"], detail: Detail(outcome, l),
            extensions: conflict is null ? null : await conflict(outcome)),
    };

    /// <summary>400: each field with its problems, in the caller's language; the detail lists them all.</summary>
    public static ValidationProblem Invalid(IEnumerable<FieldError> problems, IStringLocalizer l, string? title = null)
    {
        var byField = ByField(problems, l);
        return TypedResults.ValidationProblem(byField, title: title ?? InvalidTitle,
            detail: string.Join(" ", byField.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
    }

    /// <summary>
    /// The problems grouped by field (the request as a whole is "request"), each told in the caller's language.
    /// </summary>
    public static Dictionary<string, string[]> ByField(IEnumerable<FieldError> problems, IStringLocalizer l) =>
        problems.GroupBy(p => p.Field.Length == 0 ? "request" : p.Field)
            .ToDictionary(g => g.Key, g => g.Select(p => MessageFormatter.Format(l, p.Message)).ToArray());

    private static string? Detail<T>(WriteOutcome<T> outcome, IStringLocalizer l) =>
        outcome.Problem is { } p ? MessageFormatter.Format(l, p.Message) : null;

    /// <summary>A page's status for a refused write: 403, 404, 409, else 400.</summary>
    public static int PageStatus(ChangeOutcome outcome) => outcome switch
    {
        ChangeOutcome.Forbidden => StatusCodes.Status403Forbidden,
        ChangeOutcome.NotFound => StatusCodes.Status404NotFound,
        ChangeOutcome.Conflict => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>
    /// The problems beside a page's form, in the reader's language; one about the request as a whole is shown on
    /// <paramref name="whole"/> (the form, or the comment box of a step).
    /// </summary>
    public static IEnumerable<FormProblem> ForPage(IEnumerable<FieldError> problems, IStringLocalizer l,
        string whole = "form") =>
        problems.Select(p => new FormProblem(p.Field.Length == 0 ? whole : p.Field,
            MessageFormatter.Format(l, p.Message)));
}
