namespace Caravan.Shared;

/// <summary>What is wrong with one value a person typed, whatever the feature: the field checks' messages.</summary>
public static class FieldMessages
{
    public static readonly MessageCode Choice = new("field.choice");
    public static readonly MessageCode ControlCharacters = new("field.control-characters");
    public static readonly MessageCode Date = new("field.date");
    public static readonly MessageCode EmailAddress = new("field.email");
    public static readonly MessageCode Invalid = new("field.invalid");
    public static readonly MessageCode Number = new("field.number");
    public static readonly MessageCode Required = new("field.required");
    public static readonly MessageCode Scalar = new("field.scalar");
    public static readonly MessageCode TooLong = new("field.too-long");
    public static readonly MessageCode Unknown = new("field.unknown");
    public static readonly MessageCode Url = new("field.url");
    public static readonly MessageCode Whole = new("field.whole");
}
