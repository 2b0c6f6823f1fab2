using System.Globalization;
using System.Text;

namespace Caravan.Tests.Support;

/// <summary>Small IATI 2.03 files for tests, valid per Caravan's rules and the official schema unless changed.</summary>
public static class IatiSamples
{
    public static string Activity(string suffix, string status = "2", string title = "Luban Workshop", decimal amount = 12500000.50m,
        string currency = "CNY", string countries = """<recipient-country code="KG" percentage="100"/>""", string extra = "") => $"""
        <iati-activity xml:lang="en" default-currency="{currency}">
          <iati-identifier>CN-MOFCOM-{suffix}</iati-identifier>
          <reporting-org ref="CN-MOFCOM" type="10"><narrative>Ministry of Commerce</narrative><narrative xml:lang="zh">商务部</narrative></reporting-org>
          <title><narrative>{title} {suffix}</narrative><narrative xml:lang="ru">Мастерская Лу Бань {suffix}</narrative><narrative xml:lang="zh">鲁班工坊 {suffix}</narrative></title>
          <description type="1"><narrative>Vocational training centre.</narrative></description>
          <participating-org ref="CN-MOFCOM" role="1" type="10"><narrative>Ministry of Commerce</narrative></participating-org>
          <activity-status code="{status}"/>
          <activity-date iso-date="2024-01-10" type="1"/>
          <activity-date iso-date="2026-12-31" type="3"/>
          {countries}
          <sector vocabulary="1" code="11330" percentage="100"/>
          <transaction>
            <transaction-type code="2"/>
            <transaction-date iso-date="2024-03-01"/>
            <value currency="{currency}" value-date="2024-03-01">{amount.ToString(CultureInfo.InvariantCulture)}</value>
            <provider-org ref="CN-MOFCOM"><narrative>Ministry of Commerce</narrative></provider-org>
          </transaction>
          {extra}
        </iati-activity>
        """;

    public static string File(params string[] activities) =>
        $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<iati-activities version=\"2.03\">\n{string.Concat(activities)}\n</iati-activities>";

    public static MemoryStream Stream(string xml) => new(Encoding.UTF8.GetBytes(xml));
}
