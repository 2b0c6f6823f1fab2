using System.Globalization;

namespace Caravan.Shared;

/// <summary>
/// A message's code: a key of the UI strings (SharedResource), so that every reader gets it in their language.
/// A feature declares its codes once, as static fields, and compares codes by value, never by string literal.
/// </summary>
public readonly record struct MessageCode(string Key)
{
    public override string ToString() => Key;
}

/// <summary>
/// A value that fills a place ({0}, {1}…) of a message, typed so that the formatter writes it in the reader's
/// language: numbers with the reader's digits, amounts in their unit, terms translated, dates in the reader's calendar
/// words.
/// </summary>
public abstract record MessageArg
{
    /// <summary>Shown as it is: an id, a code a person typed, a name already chosen for the reader.</summary>
    public sealed record Text(string Value) : MessageArg { public override string Invariant => Value; }
    public sealed record Number(decimal Value)
        : MessageArg { public override string Invariant => Value.ToString(CultureInfo.InvariantCulture); }
    /// <summary>
    /// A quantity in its unit, every digit shown ("1,500,000,000 yuan (CNY)"): unit keys are <c>unit.{Unit}</c>.
    /// </summary>
    public sealed record Amount(decimal Value, string Unit) : MessageArg
    {
        public override string Invariant => $"{Value.ToString(CultureInfo.InvariantCulture)} {Unit}";
    }
    /// <summary>A UI string by its key (a stage's or a status's name), translated itself.</summary>
    public sealed record Term(string Key) : MessageArg { public override string Invariant => Key; }
    public sealed record Day(DateOnly Value)
        : MessageArg { public override string Invariant => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture); }
    /// <summary>Several values, joined with the reader's list separator.</summary>
    public sealed record List(IReadOnlyList<MessageArg> Items) : MessageArg
    {
        public override string Invariant => string.Join(", ", Items.Select(i => i.Invariant));
    }

    public static implicit operator MessageArg(string value) => new Text(value);
    public static implicit operator MessageArg(int value) => new Number(value);
    public static implicit operator MessageArg(long value) => new Number(value);
    public static implicit operator MessageArg(decimal value) => new Number(value);
    public static implicit operator MessageArg(DateOnly value) => new Day(value);

    public static MessageArg Join(IEnumerable<string> values)
        => new List([.. values.Select(v => (MessageArg)new Text(v))]);

    /// <summary>Culture-invariant text, for logs and tests; people read messages through the formatter.</summary>
    public abstract string Invariant { get; }
}

/// <summary>What Caravan tells a person: a code and its typed arguments, formatted in one place for the page, the API
/// and the CLI.</summary>
public sealed record Message(MessageCode Code, IReadOnlyList<MessageArg> Args)
{
    public Message(MessageCode code, params MessageArg[] args) : this(code, (IReadOnlyList<MessageArg>)args) { }

    public bool Is(MessageCode code) => Code == code;

    public override string ToString() =>
        Args.Count == 0 ? Code.Key : $"{Code.Key}({string.Join("; ", Args.Select(a => a.Invariant))})";
}
