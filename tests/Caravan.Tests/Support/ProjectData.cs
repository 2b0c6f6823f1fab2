using System.Text;
using Caravan.Data;
using Caravan.Features.Money;
using Caravan.Features.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Tests.Support;

/// <summary>
/// A small IATI 2.03 file for the projects tests, valid per <see cref="IatiRules"/> (no warnings): an umbrella
/// railway programme with a stored child, a Luban workshop split between two states, and a grant in tenge
/// dated before any tenge rate, and a plan without money whose identifier holds a slash; two currencies besides USD;
/// titles in en/ru/zh. A sixth activity is imported unpublished. Rates: USD/CNY (two dates) and USD/KZT, each with its source.
/// </summary>
public static class ProjectData
{
    public const string Umbrella = "XI-CARAVAN-RAIL";
    public const string Child = "XI-CARAVAN-RAIL-KG";
    public const string Luban = "XI-CARAVAN-LUBAN-TJ";
    public const string Grant = "XI-CARAVAN-GRANT-KZ";
    public const string Draft = "XI-CARAVAN-DRAFT";
    /// <summary>A pipeline project without money, whose identifier holds a slash (IATI allows it; routes must too).</summary>
    public const string Plan = "XI-CARAVAN-PLAN/2026";

    public const string PbocSource = "People's Bank of China, central parity (test)";
    public const string NbkSource = "National Bank of Kazakhstan, official rate (test)";

    public static readonly ExchangeRate[] Rates =
    [
        new("USD", "CNY", new DateOnly(2025, 1, 2), 7.2993m, PbocSource),
        new("USD", "CNY", new DateOnly(2025, 6, 17), 7.1811m, PbocSource),
        new("USD", "KZT", new DateOnly(2025, 6, 17), 510.26m, NbkSource),
    ];

    private const string Org = """
        <reporting-org ref="XI-CARAVAN" type="10"><narrative>Caravan test secretariat</narrative><narrative xml:lang="ru">Тестовый секретариат</narrative><narrative xml:lang="zh">测试秘书处</narrative></reporting-org>
        """;

    public const string Published = $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <iati-activities version="2.03" generated-datetime="2025-11-01T00:00:00Z">
         <iati-activity xml:lang="en" default-currency="USD" hierarchy="1" last-updated-datetime="2025-10-01T00:00:00Z">
          <iati-identifier>{Umbrella}</iati-identifier>
          {Org}
          <title><narrative>China–Kyrgyzstan–Uzbekistan railway programme</narrative><narrative xml:lang="ru">Программа железной дороги Китай – Кыргызстан – Узбекистан</narrative><narrative xml:lang="zh">中吉乌铁路项目</narrative></title>
          <description type="1"><narrative>The programme as a whole; its sections are reported as their own activities.</narrative></description>
          <participating-org ref="XI-CARAVAN" role="1" type="10"><narrative>Caravan test secretariat</narrative></participating-org>
          <activity-status code="2"/>
          <activity-date iso-date="2024-12-27" type="2"/>
          <recipient-country code="KG" percentage="50"/>
          <recipient-country code="UZ" percentage="50"/>
          <transaction><transaction-type code="2"/><transaction-date iso-date="2024-12-27"/><value currency="USD" value-date="2024-12-27">1000000000</value></transaction>
          <related-activity ref="{Child}" type="2"/>
         </iati-activity>
         <iati-activity xml:lang="en" default-currency="CNY" hierarchy="2">
          <iati-identifier>{Child}</iati-identifier>
          {Org}
          <title><narrative>Railway section in Kyrgyzstan</narrative><narrative xml:lang="ru">Железная дорога: участок в Кыргызстане</narrative><narrative xml:lang="zh">铁路吉尔吉斯斯坦段</narrative></title>
          <description type="1"><narrative>Construction of the Kyrgyz section.</narrative><narrative xml:lang="ru">Строительство кыргызского участка.</narrative><narrative xml:lang="zh">吉尔吉斯斯坦段的建设。</narrative></description>
          <participating-org ref="XI-CARAVAN" role="1" type="10"><narrative>Caravan test secretariat</narrative></participating-org>
          <participating-org role="4" type="70"><narrative>Railway builder</narrative><narrative xml:lang="zh">铁路建设单位</narrative></participating-org>
          <activity-status code="2"/>
          <activity-date iso-date="2025-01-15" type="1"/>
          <activity-date iso-date="2025-07-01" type="2"/>
          <recipient-country code="KG"/>
          <location>
           <name><narrative>Jalal-Abad</narrative><narrative xml:lang="ru">Джалал-Абад</narrative></name>
           <point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>40.9333 73.0017</pos></point>
          </location>
          <sector vocabulary="1" code="21030"/>
          <transaction><transaction-type code="2"/><transaction-date iso-date="2025-06-20"/><value value-date="2025-06-20">300000000</value></transaction>
          <transaction><transaction-type code="3"/><transaction-date iso-date="2025-09-01"/><value value-date="2025-09-01">50000000</value><description><narrative>First instalment</narrative></description></transaction>
          <related-activity ref="{Umbrella}" type="1"/>
          <result type="1"><title><narrative>Track laid</narrative><narrative xml:lang="ru">Уложен путь</narrative></title>
           <indicator measure="1" ascending="1"><title><narrative>Kilometres of track</narrative></title>
            <baseline year="2024" value="0"/>
            <period><period-start iso-date="2025-01-01"/><period-end iso-date="2025-12-31"/><target value="40"/><actual value="12"/></period>
           </indicator>
          </result>
          <document-link url="https://example.org/rail-kg-agreement.pdf" format="application/pdf"><title><narrative>Section agreement</narrative></title><category code="A01"/><language code="ru"/></document-link>
          <document-link url="javascript:alert(1)" format="text/html"><title><narrative>Not a web address</narrative></title><category code="A01"/></document-link>
         </iati-activity>
         <iati-activity xml:lang="en" default-currency="USD">
          <iati-identifier>{Luban}</iati-identifier>
          {Org}
          <title><narrative>Luban Workshop in Dushanbe</narrative><narrative xml:lang="ru">Мастерская Лубань в Душанбе</narrative><narrative xml:lang="zh">杜尚别鲁班工坊</narrative></title>
          <description type="1"><narrative>Vocational training.</narrative></description>
          <participating-org ref="XI-CARAVAN" role="1" type="10"><narrative>Caravan test secretariat</narrative></participating-org>
          <activity-status code="2"/>
          <activity-date iso-date="2024-03-01" type="2"/>
          <recipient-country code="TJ" percentage="60"/>
          <recipient-country code="KZ" percentage="40"/>
          <location><name><narrative>Dushanbe</narrative></name><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>38.5598 68.7870</pos></point></location>
          <transaction><transaction-type code="2"/><transaction-date iso-date="2024-03-15"/><value value-date="2024-03-15">12000000</value></transaction>
         </iati-activity>
         <iati-activity xml:lang="en" default-currency="KZT">
          <iati-identifier>{Grant}</iati-identifier>
          {Org}
          <title><narrative>Grant for Kazakhstan</narrative><narrative xml:lang="ru">Грант Казахстану</narrative></title>
          <description type="1"><narrative>A grant committed before any tenge rate is stored.</narrative></description>
          <participating-org ref="XI-CARAVAN" role="1" type="10"><narrative>Caravan test secretariat</narrative></participating-org>
          <activity-status code="1"/>
          <activity-date iso-date="2026-01-01" type="1"/>
          <recipient-country code="KZ"/>
          <transaction><transaction-type code="2"/><transaction-date iso-date="2023-05-10"/><value value-date="2023-05-10">5000000000</value></transaction>
         </iati-activity>
         <iati-activity xml:lang="zh" default-currency="CNY">
          <iati-identifier>{Plan}</iati-identifier>
          {Org}
          <title><narrative>2026年合作规划</narrative><narrative xml:lang="en">Cooperation plan 2026</narrative></title>
          <description type="2"><narrative>规划阶段。</narrative></description>
          <participating-org ref="XI-CARAVAN" role="2" type="10"><narrative>测试秘书处</narrative></participating-org>
          <activity-status code="1"/>
          <activity-date iso-date="2026-03-01" type="1"/>
         </iati-activity>
        </iati-activities>
        """;

    public const string Unpublished = $"""
        <?xml version="1.0" encoding="UTF-8"?>
        <iati-activities version="2.03">
         <iati-activity xml:lang="en" default-currency="USD">
          <iati-identifier>{Draft}</iati-identifier>
          {Org}
          <title><narrative>Hidden draft project</narrative></title>
          <description type="1"><narrative>Not yet published.</narrative></description>
          <participating-org ref="XI-CARAVAN" role="1" type="10"><narrative>Caravan test secretariat</narrative></participating-org>
          <activity-status code="2"/>
          <activity-date iso-date="2025-01-01" type="2"/>
          <recipient-country code="KG"/>
          <location><name><narrative>Osh</narrative></name><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>40.5140 72.8161</pos></point></location>
          <transaction><transaction-type code="2"/><transaction-date iso-date="2025-02-01"/><value value-date="2025-02-01">777000000</value></transaction>
         </iati-activity>
        </iati-activities>
        """;

    /// <summary>Imports both files through the app's own import (the second unpublished) and stores the rates, in the app's database.</summary>
    public static async Task SeedAsync(IServiceProvider services)
    {
        using var scope = services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CaravanDbContext>();
        foreach (var (xml, publish) in new[] { (Published, true), (Unpublished, false) })
        {
            await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
            var report = await IatiImport.RunAsync(db, stream, new IatiImportOptions { By = "test", Publish = publish, FileName = "projects-test.xml" });
            Assert.True(report.Skipped == 0 && report.ProblemCount == 0,
                string.Join("; ", report.Problems.Select(p => $"{p.Activity} {p.Path} {p.Code} {p.Detail}")));
        }
        await ExchangeRates.StoreAsync(db, Rates, CancellationToken.None);
    }
}
