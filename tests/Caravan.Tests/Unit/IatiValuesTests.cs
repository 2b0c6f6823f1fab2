using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Schema;
using Caravan.Features.Projects;
using Caravan.Web.Features.Shared;

namespace Caravan.Tests.Unit;

/// <summary>
/// Every lexical form the IATI 2.03 schema's simple types allow is read exactly, and what they refuse is not read:
/// each form is also put to .NET's own XSD datatype, the oracle the official schema is validated with.
/// </summary>
public sealed class IatiValuesTests
{
    private static bool XsdAccepts(XmlTypeCode type, string text)
    {
        try
        {
            XmlSchemaType.GetBuiltInSimpleType(type)!.Datatype!.ParseValue(text, null, null);
            return true;
        }
        catch (Exception e) when (e is XmlSchemaException or FormatException or OverflowException) { return false; }
    }

    [Theory]
    [InlineData("2017-02-06", "2017-02-06")]
    [InlineData("2017-02-06Z", "2017-02-06")]
    [InlineData("2017-02-06+08:00", "2017-02-06")] // the offset does not move the day
    [InlineData("2017-02-06-05:00", "2017-02-06")]
    [InlineData("2017-02-06+14:00", "2017-02-06")]
    [InlineData("2017-02-06-14:00", "2017-02-06")]
    [InlineData("2017-12-31+00:00", "2017-12-31")]
    [InlineData(" 2017-02-06\n", "2017-02-06")] // whiteSpace="collapse"
    [InlineData("\t2017-02-06+08:00 ", "2017-02-06")]
    [InlineData("2016-02-29", "2016-02-29")]
    public void A_date_in_any_form_the_schema_accepts_is_read_as_its_calendar_day(string text, string day)
    {
        Assert.True(XsdAccepts(XmlTypeCode.Date, text), "the XSD accepts it");
        Assert.True(IatiValues.TryDate(text, out var read), text);
        Assert.Equal(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), read);
    }

    [Theory]
    [InlineData("06/02/2017")]
    [InlineData("2017-2-6")]
    [InlineData("2017-02-30")]
    [InlineData("2017-02-29")] // not a leap year
    [InlineData("2017-13-01")]
    [InlineData("2017-00-10")]
    [InlineData("2017-04-31")]
    [InlineData("2017-04-00")]
    [InlineData("2017-0a-06")]
    [InlineData("２０１７-02-06")] // digits, but not the schema's
    [InlineData("2017-02-06T10:00:00")] // a date-time where a date is due
    [InlineData("2017-02-06+08")]
    [InlineData("2017-02-06 +08:00")]
    [InlineData("2017")]
    [InlineData("")]
    public void A_date_the_schema_refuses_is_not_read(string text)
    {
        Assert.False(XsdAccepts(XmlTypeCode.Date, text), "the XSD refuses it");
        Assert.False(IatiValues.TryDate(text, out _), text);
    }

    /// <summary>
    /// XSD 1.0 part 2 (3.2.7.3): the offset is Z or ±hh:mm up to 14:00, and whitespace is only #x20, #x9, #xD, #xA.
    /// .NET's own datatype lets these through (xmllint does not); Caravan follows the specification.
    /// </summary>
    [Theory]
    [InlineData("2017-02-06z")]
    [InlineData("2017-02-06+15:00")]
    [InlineData("2017-02-06+14:30")]
    [InlineData("\u00a02017-02-06")]
    public void Where_dotnet_is_laxer_than_the_specification_the_specification_is_followed(string text)
    {
        Assert.False(IatiValues.TryDate(text, out _), text);
        Assert.False(IatiValues.TryDateTime(text.Insert(text.IndexOf('2', StringComparison.Ordinal) + 10, "T10:00:00"), out _), text);
    }

    [Theory]
    [InlineData("2017-02-06T10:00:00-05:00", "2017-02-06T10:00:00-05:00")]
    [InlineData("2017-02-06T10:00:00Z", "2017-02-06T10:00:00+00:00")]
    [InlineData("2017-02-06T10:00:00", "2017-02-06T10:00:00+00:00")] // no offset: taken as UTC
    [InlineData("2017-02-06T10:00:00.125+08:00", "2017-02-06T10:00:00.125+08:00")]
    [InlineData(" 2017-02-06T10:00:00+08:00\n", "2017-02-06T10:00:00+08:00")]
    public void A_date_time_with_or_without_an_offset_is_read_at_its_instant(string text, string instant)
    {
        Assert.True(XsdAccepts(XmlTypeCode.DateTime, text));
        Assert.True(IatiValues.TryDateTime(text, out var read), text);
        var expected = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);
        Assert.Equal((expected, expected.Offset), (read, read.Offset));
    }

    [Theory]
    [InlineData("2017-02-06")]
    [InlineData("2017-02-06 10:00:00")]
    [InlineData("06/02/2017 10:00")]
    [InlineData("2017-02-06T25:00:00")]
    public void A_date_time_the_schema_refuses_is_not_read(string text)
    {
        Assert.False(XsdAccepts(XmlTypeCode.DateTime, text));
        Assert.False(IatiValues.TryDateTime(text, out _), text);
    }

    [Theory]
    [InlineData("12500000.50", "12500000.50")]
    [InlineData("+5", "5")]
    [InlineData("-5", "-5")]
    [InlineData("005.500", "5.5")]
    [InlineData(".5", "0.5")]
    [InlineData("5.", "5")]
    [InlineData("+.5", "0.5")]
    [InlineData("-0", "0")]
    [InlineData("0.0000000000000000000000000001", "0.0000000000000000000000000001")]
    [InlineData("1234567890123456789012345678", "1234567890123456789012345678")]
    [InlineData("1.0000000000000000000000000000000000000", "1")] // trailing zeros add no digits
    [InlineData(" 42\r\n", "42")]
    public void A_decimal_in_any_form_the_schema_accepts_is_read_exactly(string text, string value)
    {
        Assert.True(XsdAccepts(XmlTypeCode.Decimal, text));
        Assert.True(IatiValues.TryDecimal(text, out var read), text);
        Assert.Equal(decimal.Parse(value, CultureInfo.InvariantCulture), read);
    }

    [Theory]
    [InlineData("1e5")] // xs:decimal has no exponent
    [InlineData("1E5")]
    [InlineData("1,000")]
    [InlineData("1 000")]
    [InlineData(".")]
    [InlineData("+")]
    [InlineData("")]
    [InlineData("--5")]
    [InlineData("5-")]
    [InlineData("1.2.3")]
    [InlineData("NaN")]
    [InlineData("INF")]
    [InlineData("\u00a05")]
    [InlineData("\u0665")] // an Arabic-Indic five is not an XSD digit
    public void A_decimal_the_schema_refuses_is_not_read(string text)
    {
        Assert.False(XsdAccepts(XmlTypeCode.Decimal, text));
        Assert.False(IatiValues.TryDecimal(text, out _), text);
    }

    [Fact]
    public void A_decimal_with_more_digits_than_can_be_held_exactly_is_not_read_rather_than_rounded()
    {
        const string text = "1.00000000000000000000000000001"; // 30 significant digits: xs:decimal, not System.Decimal
        Assert.True(XsdAccepts(XmlTypeCode.Decimal, text));
        Assert.False(IatiValues.TryDecimal(text, out _));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("1", true)]
    [InlineData(" false ", false)]
    [InlineData("0", false)]
    public void Booleans_and_integers_read_as_the_schema_says(string text, bool value)
    {
        Assert.True(IatiValues.TryBoolean(text, out var read));
        Assert.Equal(value, read);
        Assert.False(IatiValues.TryBoolean("True", out _));
        Assert.False(IatiValues.TryBoolean("yes", out _));
        Assert.True(IatiValues.TryInteger(" +0012 ", out var n) && n == 12);
        Assert.False(IatiValues.TryInteger("1.0", out _));
        Assert.False(IatiValues.TryInteger("", out _));
    }

    private const string Activity = """
        <iati-activity default-currency="CNY" last-updated-datetime="2017-02-06T10:00:00-05:00">
          <iati-identifier>CN-1-A</iati-identifier>
          <reporting-org ref="CN-1" type="10"><narrative>Publisher</narrative></reporting-org>
          <title><narrative>A project</narrative></title>
          <description><narrative>What it does.</narrative></description>
          <participating-org ref="CN-1" role="1"/>
          <activity-status code="2"/>
          <activity-date iso-date="START" type="1"/>
          <activity-date iso-date="2018-02-06Z" type="3"/>
          <recipient-country code="KG" percentage="+100.0"/>
          <transaction>
            <transaction-type code="2"/>
            <transaction-date iso-date="2017-03-01-05:00"/>
            <value value-date="VALUEDATE">AMOUNT</value>
          </transaction>
        </iati-activity>
        """;

    private static IatiActivity Read(string start, string valueDate = "2017-03-01+08:00", string amount = " +.5\n")
    {
        var activity = Activity.Replace("START", start, StringComparison.Ordinal)
            .Replace("VALUEDATE", valueDate, StringComparison.Ordinal).Replace("AMOUNT", amount, StringComparison.Ordinal);
        var xml = $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n{activity}\n</iati-activities>";
        return Assert.Single(IatiReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(xml))));
    }

    [Fact]
    public void Dates_with_offsets_are_read_and_nothing_is_reported_missing()
    {
        var a = Read("2017-02-06+08:00");
        Assert.Equal([new DateOnly(2017, 2, 6), new DateOnly(2018, 2, 6)], a.ActivityDates.Select(d => d.On));
        var t = Assert.Single(a.Transactions);
        Assert.Equal((new DateOnly(2017, 3, 1), 0.5m, new DateOnly(2017, 3, 1)), (t.Date!.Value, t.Value!.Amount, t.Value.ValueDate!.Value));
        Assert.Equal(new DateTimeOffset(2017, 2, 6, 10, 0, 0, TimeSpan.FromHours(-5)), a.LastUpdated);
        Assert.Equal(100m, a.RecipientCountries.Single().Percentage);
        Assert.Null(a.Unreadable);
        Assert.Empty(IatiRules.Check(a));
    }

    [Fact]
    public void A_value_that_cannot_be_read_is_reported_as_such_with_its_line_never_as_missing()
    {
        var a = Read("06/02/2017", valueDate: "2017-13-01", amount: "1,5");
        var problems = IatiRules.Check(a);
        Assert.DoesNotContain(problems, p => p.Code == IatiMessages.ElementMissing || p.Code == IatiMessages.ValueMissing
            || p.Code == IatiMessages.ValueDateMissing);
        var unread = problems.Where(p => p.Code == IatiMessages.Unreadable).ToList();
        Assert.All(unread, p => Assert.True(p.IsError));
        Assert.Equal(["activity-date/@iso-date", "transaction[1]/value/@value-date", "transaction[1]/value"], unread.Select(p => p.Path));
        Assert.Equal([10, 16, 16], a.Unreadable!.Select(u => u.Line));
        var en = CultureInfo.GetCultureInfo("en");
        Assert.Equal("Cannot read the date '06/02/2017' at line 10 (activity-date/@iso-date): the IATI 2.03 schema does not accept it as a date.",
            MessageFormatter.Format(unread[0].Message, en));
        Assert.Equal("Не удаётся прочитать значение «1,5» в строке 16 (transaction[1]/value): по схеме IATI 2.03 это не число.",
            MessageFormatter.Format(unread[2].Message, CultureInfo.GetCultureInfo("ru")));
        Assert.Equal("无法读取第 16 行的日期“2017-13-01”（transaction[1]/value/@value-date）：IATI 2.03 模式不接受它作为日期。",
            MessageFormatter.Format(unread[1].Message, CultureInfo.GetCultureInfo("zh")));
    }

    [Fact]
    public void The_schema_and_the_reader_agree_on_a_date_with_an_offset()
    {
        var xml = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n{Activity.Replace("START", "2017-02-06+08:00", StringComparison.Ordinal).Replace("VALUEDATE", "2017-03-01+08:00", StringComparison.Ordinal).Replace("AMOUNT", "5.", StringComparison.Ordinal)}\n</iati-activities>");
        var a = Assert.Single(IatiReader.Read(new MemoryStream(xml), Support.IatiSchema.Schemas));
        Assert.Null(a.SchemaErrors);
        Assert.Null(a.Unreadable);
    }
}
