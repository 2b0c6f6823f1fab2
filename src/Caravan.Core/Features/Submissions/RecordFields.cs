using System.Globalization;
using System.Net.Mail;
using Caravan.Features.Seed;
using Caravan.Shared;

namespace Caravan.Features.Submissions;

/// <summary>What a field of an editable record holds, which decides its form input and its validation.</summary>
public enum FieldKind
{
    Text,
    /// <summary>A date known to the year, month or day: <c>2025</c>, <c>2025-06</c>, <c>2025-06-17</c>.</summary>
    Date,
    Number,
    /// <summary>A whole number (days, counts).</summary>
    Whole,
    /// <summary>An absolute http(s) address: where evidence can be read.</summary>
    WebAddress,
    /// <summary>An e-mail address (<c>name@domain.org</c>): one value in every language.</summary>
    EmailAddress,
    Choice,
}

/// <summary>
/// One field a person may change. A localised text is three fields (<c>note.en</c>, <c>note.ru</c>,
/// <c>note.zh</c>), so that every value is one string: simple to diff, to show side by side and to send.
/// </summary>
public sealed record EditableField(string Name, FieldKind Kind, bool Required = false,
    IReadOnlyList<string>? Choices = null, int MaxLength = 2000, string? ChoiceNames = null)
{
    public static EditableField[] Localized(string name, int maxLength = 2000) =>
        [.. LocalizedText.Languages.Select(
            l => new EditableField($"{name}.{l}", FieldKind.Text, MaxLength: maxLength))];

    /// <summary>
    /// A choice among an enum's values, named in the portal by <c>{choiceNames ?? T}.{value}</c>: plain names, not the
    /// templates some enums are shown with elsewhere ("qualifier.about" is "about {0}"; resource names ignore case, so
    /// those need names of their own).
    /// </summary>
    public static EditableField ChoiceOf<T>(string name, bool required = true, string? choiceNames = null) where T
        : struct, Enum =>
        new(name, FieldKind.Choice, required, [.. Enum.GetValues<T>().Select(v => SeedEnums.ToKebab(v))],
            ChoiceNames: choiceNames ?? typeof(T).Name);

    /// <summary>
    /// The name a localised text's fields share: <c>note</c> for <c>note.en</c>; the name itself otherwise.
    /// </summary>
    public string Group => Name.Contains('.', StringComparison.Ordinal)
        ? Name[..Name.IndexOf('.', StringComparison.Ordinal)]
        : Name;
    public string? Language => Name.Contains('.', StringComparison.Ordinal)
        ? Name[(Name.IndexOf('.', StringComparison.Ordinal) + 1)..]
        : null;
}

/// <summary>
/// A problem with one field: the field and what is wrong, as a typed message the page, API and CLI format.
/// </summary>
public sealed record FieldError(string Field, Message Message)
{
    public FieldError(string field, MessageCode code, params MessageArg[] args)
        : this(field, new Message(code, args)) { }
}

public static class RecordFields
{
    /// <summary>
    /// Merges <paramref name="input"/> over <paramref name="current"/> and checks every field. A field whose
    /// input is invalid keeps its current value in the result, so that checks across fields can still run. Unknown
    /// fields are errors, not silently dropped: a client with a typo must learn of it.
    /// </summary>
    public static (SortedDictionary<string, string?> Values, List<FieldError> Errors) Merge(
        IReadOnlyList<EditableField> fields, IReadOnlyDictionary<string, string?> current,
        IReadOnlyDictionary<string, string?> input)
    {
        var errors = new List<FieldError>();
        var values = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var f in fields) values[f.Name] = current.GetValueOrDefault(f.Name);
        foreach (var key in input.Keys.Where(k => fields.All(f => f.Name != k)).Order(StringComparer.Ordinal))
            errors.Add(new FieldError(key, FieldMessages.Unknown, MessageArg.Join(fields.Select(f => f.Name))));
        foreach (var f in fields)
        {
            if (!input.TryGetValue(f.Name, out var raw))
            {
                if (f.Required
                    && string.IsNullOrWhiteSpace(values[f.Name])) errors.Add(new(f.Name, FieldMessages.Required));
                continue;
            }
            var text = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            if (text is null)
            {
                if (f.Required) errors.Add(new(f.Name, FieldMessages.Required));
                values[f.Name] = null;
                continue;
            }
            var (normalised, error) = Normalise(f, text);
            if (error is not null) errors.Add(error);
            else values[f.Name] = normalised;
        }
        return (values, errors);
    }

    private static (string? Value, FieldError? Error) Normalise(EditableField f, string text)
    {
        if (text.Length > f.MaxLength) return (null, new(f.Name, FieldMessages.TooLong, f.MaxLength));
        if (text.Any(c => char.IsControl(c)
            && c is not '\n' and not '\r' and not '\t')) return (null, new(f.Name, FieldMessages.ControlCharacters));
        switch (f.Kind)
        {
            case FieldKind.Date:
                return PartialDate.TryParse(text, out var date)
                    ? (date.ToIso(), null)
                    : (null, new(f.Name, FieldMessages.Date));
            case FieldKind.Number:
                // No thousands separators: "1,5" is 1.5 to a Russian reader and 15 to an English one, so it is refused,
                // not guessed.
                return decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                    CultureInfo.InvariantCulture, out var number) && Math.Abs(number) < 1e14m
                    ? (number.ToString(CultureInfo.InvariantCulture), null)
                    : (null, new(f.Name, FieldMessages.Number));
            case FieldKind.Whole:
                return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole)
                    ? (whole.ToString(CultureInfo.InvariantCulture), null)
                    : (null, new(f.Name, FieldMessages.Whole));
            case FieldKind.WebAddress:
                return Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                    ? (text, null)
                    : (null, new(f.Name, FieldMessages.Url));
            case FieldKind.EmailAddress:
                // The address alone, as a reader would copy it: no display name, no angle brackets, a domain with a
                // dot.
                return MailAddress.TryCreate(text, out var mail) && mail.Address == text && mail.DisplayName.Length == 0
                    && mail.Host.Contains('.', StringComparison.Ordinal)
                    ? (text, null)
                    : (null, new(f.Name, FieldMessages.EmailAddress));
            case FieldKind.Choice:
                return f.Choices!.Contains(text)
                    ? (text, null)
                    : (null, new(f.Name, FieldMessages.Choice, MessageArg.Join(f.Choices!)));
            default:
                return (text, null);
        }
    }

    /// <summary>The fields whose values differ, in field order.</summary>
    public static IReadOnlyList<string> Changed(IReadOnlyList<EditableField> fields,
        IReadOnlyDictionary<string, string?> before, IReadOnlyDictionary<string, string?> after) =>
        [.. fields.Select(f => f.Name).Where(n => before.GetValueOrDefault(n) != after.GetValueOrDefault(n))];
}
