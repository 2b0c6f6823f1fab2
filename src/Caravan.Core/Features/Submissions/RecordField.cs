using System.Globalization;
using Caravan.Features.Seed;
using Caravan.Shared;

namespace Caravan.Features.Submissions;

/// <summary>
/// A field of a record kind, declared once: its name, what it holds and its rules (the <see cref="EditableField"/>s
/// the form, the API, the diff and the validation use), whether it states a fact, and how it is read from and
/// written to the stored record. Created by the factories of <see cref="RecordKind{TEntity}"/>.
/// </summary>
public abstract class RecordField<TEntity>(string name, bool fact)
{
    public string Name { get; } = name;

    /// <summary>
    /// Whether a new or changed value must bring its own sources (a note is the writer's comment, not a fact).
    /// </summary>
    public bool IsFact { get; } = fact;

    /// <summary>The field as the editor sees it: one string field, or three for a text in every language.</summary>
    public abstract IReadOnlyList<EditableField> Editable { get; }

    /// <summary>Puts the stored value into a record's field strings.</summary>
    public abstract void Read(TEntity entity, IDictionary<string, string?> values);

    /// <summary>
    /// Writes the validated field strings to the stored record (nothing for a field that is only read).
    /// </summary>
    public abstract void Write(TEntity entity, IReadOnlyDictionary<string, string?> values);
}

/// <summary>
/// A field held in one string, with its typed value: checks across fields read it with <see cref="Get"/>.
/// </summary>
public sealed class RecordField<TEntity, TValue>(
    EditableField field, bool fact, Func<TEntity, TValue> get, Action<TEntity, TValue>? set,
    Func<TValue, string?> format, Func<string?, TValue> parse) : RecordField<TEntity>(field.Name, fact)
{
    public override IReadOnlyList<EditableField> Editable { get; } = [field];

    /// <summary>The typed value of validated field strings (the type's default when the field is empty).</summary>
    public TValue Get(IReadOnlyDictionary<string, string?> values) => parse(values.GetValueOrDefault(Name));

    /// <summary>The field string a value is written as: for a new record's defaults and for comparisons.</summary>
    public string? Format(TValue value) => format(value);

    /// <summary>A new record's default: the field and the string its value is written as.</summary>
    public KeyValuePair<string, string?> With(TValue value) => new(Name, format(value));

    public override void Read(
        TEntity entity, IDictionary<string, string?> values) => values[Name] = format(get(entity));

    public override void Write(
        TEntity entity, IReadOnlyDictionary<string, string?> values) => set?.Invoke(entity, Get(values));
}

/// <summary>
/// A text in every language: three fields (<c>note.en</c>, <c>note.ru</c>, <c>note.zh</c>), one value.
/// </summary>
public sealed class LocalizedField<TEntity>(
    string name, int maxLength, bool fact, Func<TEntity, LocalizedText?> get, Action<TEntity, LocalizedText?>? set)
    : RecordField<TEntity>(name, fact)
{
    public override IReadOnlyList<EditableField> Editable { get; } = EditableField.Localized(name, maxLength);

    /// <summary>
    /// The field errors about the text as a whole are shown on: its English field, the first in the form.
    /// </summary>
    public string First => $"{Name}.{LocalizedText.Languages[0]}";

    public LocalizedText? Get(IReadOnlyDictionary<string, string?> values)
    {
        var text = new LocalizedText
        {
            En = values.GetValueOrDefault($"{Name}.en"),
            Ru = values.GetValueOrDefault($"{Name}.ru"),
            Zh = values.GetValueOrDefault($"{Name}.zh"),
        };
        return text.IsEmpty ? null : text;
    }

    public override void Read(TEntity entity, IDictionary<string, string?> values)
    {
        var text = get(entity);
        foreach (var l in LocalizedText.Languages) values[$"{Name}.{l}"] = text?[l];
    }

    public override void Write(
        TEntity entity, IReadOnlyDictionary<string, string?> values) => set?.Invoke(entity, Get(values));
}
