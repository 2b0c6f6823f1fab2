using System.Globalization;

using Caravan.Features.Reports;

namespace Caravan.Tests.Support;

/// <summary>
/// Realistic reports for the writers' tests and benchmarks, in zh, ru and en: the mechanism's own words, long
/// captions, money in the billions, unknown values, and an annex of as many commitments as asked.
/// </summary>
public static class ReportSamples
{
    public static readonly string[] Languages = ["zh", "ru", "en"];

    private sealed record Words(
        string Title, string Subtitle, string Draft, ReportLabels Labels, string Part1, string Part2, string Part3,
        string Directions, string States, string Lead, string Body, string Note, string[] StateNames,
        string[] StatusNames, string CaptionScore, string CaptionAnnex, string CaptionMoney, string ChartScore,
        string ChartPartners, string[] Columns, string[] AnnexColumns, string Commitments, string Source1,
        string Source2, string FigureCommitments, string FigureMoney, string FigureLate, string Achieved,
        string Target, string MoneyAxis, string[] Evidence, string Treaty);

    private static readonly Dictionary<string, Words> Texts = new()
    {
        ["en"] = new(
            "Status as at the Astana summit 2025",
            "Progress of the China–Central Asia cooperation mechanism: commitments, programmes and projects",
            "Draft — Republic of Kazakhstan",
            new("Contents", "Page {0} of {1}", "Table", "Figure", "Sources", "None recorded",
                "Update the field (F9) to see the contents"),
            "Key figures", "Progress by priority direction", "Annex: every commitment",
            "Trade, investment and connectivity", "Progress by state",
            "The six governments agreed 154 commitments at the Xi'an summit in 2023; this report gives their status as published by the secretariat.",
            "Of the commitments due by the Astana summit, most have been met in full or in part. Lateness is counted from the date each commitment set itself; a commitment without a date is never late. Figures marked as unknown were not reported and are shown empty, never as zero.",
            "Amounts are in RMB at the rates of the People's Bank of China on the snapshot's date.",
            ["People's Republic of China", "Republic of Kazakhstan", "Kyrgyz Republic", "Republic of Tajikistan", "Turkmenistan", "Republic of Uzbekistan"],
            ["Complied", "Partly complied", "Not complied", "Not assessed"],
            "Compliance scorecard of each state with the commitments of the Xi'an Declaration and the Astana Declaration, by status, as at the snapshot",
            "Every commitment of the mechanism with its status, evidence and sources",
            "Projects and money committed by state, in RMB",
            "Commitments by state and status", "Partnerships against targets",
            ["State", "Complied", "Partly", "Not complied", "Not assessed", "Committed (RMB)", "Last reported"],
            ["No.", "Commitment", "State", "Status", "Due", "Amount (RMB)", "Evidence"],
            "Commitments", "Xi'an Declaration of the China–Central Asia Summit (2023)", "Secretariat of the China–Central Asia Mechanism, reporting round 2025-1",
            "Commitments", "Money committed (RMB)", "Late commitments", "Achieved", "Target", "Partnerships",
            ["Joint communiqué of the foreign ministers' meeting", "Ministry of Trade and Integration, letter No. 14-2/1187", "Customs statistics, first half-year"],
            "Treaty status"),
        ["ru"] = new(
            "Положение на саммит в Астане 2025 года",
            "Ход выполнения решений механизма сотрудничества «Китай — Центральная Азия»: обязательства, программы и проекты",
            "Проект — Республика Казахстан",
            new("Содержание", "Страница {0} из {1}", "Таблица", "Рисунок", "Источники", "Нет данных",
                "Обновите поле (F9), чтобы увидеть содержание"),
            "Основные показатели", "Ход выполнения по приоритетным направлениям", "Приложение: все обязательства",
            "Торговля, инвестиции и взаимосвязанность", "Ход выполнения по государствам",
            "На Сианьском саммите 2023 года шесть правительств приняли 154 обязательства; в докладе приводится их состояние по данным, опубликованным секретариатом.",
            "Из обязательств со сроком до саммита в Астане большинство выполнено полностью или частично. Просрочка отсчитывается от срока, установленного самим обязательством; обязательство без срока не считается просроченным. Неизвестные значения не представлены и оставлены пустыми, а не нулевыми. Межправительственное соглашение о международных автомобильных перевозках вступило в силу.",
            "Суммы указаны в юанях по курсу Народного банка Китая на дату среза.",
            ["Китайская Народная Республика", "Республика Казахстан", "Кыргызская Республика", "Республика Таджикистан", "Туркменистан", "Республика Узбекистан"],
            ["Выполнено", "Выполнено частично", "Не выполнено", "Не оценено"],
            "Оценка выполнения каждым государством обязательств Сианьской декларации и Астанинской декларации по состоянию на дату среза, по статусам",
            "Все обязательства механизма с их статусом, подтверждениями и источниками",
            "Проекты и объём обязательств по государствам, в юанях",
            "Обязательства по государствам и статусам", "Партнёрства в сравнении с целевыми показателями",
            ["Государство", "Выполнено", "Частично", "Не выполнено", "Не оценено", "Сумма (юаней)", "Последний отчёт"],
            ["№", "Обязательство", "Государство", "Статус", "Срок", "Сумма (юаней)", "Подтверждение"],
            "Обязательства", "Сианьская декларация саммита «Китай — Центральная Азия» (2023)", "Секретариат механизма «Китай — Центральная Азия», отчётный цикл 2025-1",
            "Обязательства", "Объём обязательств (юаней)", "Просроченные обязательства", "Достигнуто", "Цель", "Партнёрства",
            ["Совместное коммюнике встречи министров иностранных дел", "Министерство торговли и интеграции, письмо № 14-2/1187", "Таможенная статистика за первое полугодие"],
            "Состояние договоров"),
        ["zh"] = new(
            "截至2025年阿斯塔纳峰会的进展情况",
            "中国—中亚合作机制成果落实进展：承诺、计划与项目",
            "草稿——哈萨克斯坦共和国",
            new("目录", "第{0}页，共{1}页", "表", "图", "资料来源", "无记录", "请更新域（F9）以显示目录"),
            "主要数据", "各优先方向进展", "附件：全部承诺",
            "贸易、投资与互联互通", "各国进展",
            "2023年西安峰会上，六国政府达成154项承诺；本报告列出秘书处所公布的各项承诺落实状态。",
            "在阿斯塔纳峰会前到期的承诺中，大部分已全部或部分落实。逾期自每项承诺本身规定的日期起计算；未规定日期的承诺不计为逾期。未报告的数据显示为空白，从不显示为零。中华人民共和国与中亚五国签署了《中华人民共和国和哈萨克斯坦共和国关于互免签证的协定》。",
            "金额以人民币计，按快照日期中国人民银行公布的汇率折算。",
            ["中华人民共和国", "哈萨克斯坦共和国", "吉尔吉斯共和国", "塔吉克斯坦共和国", "土库曼斯坦", "乌兹别克斯坦共和国"],
            ["已落实", "部分落实", "未落实", "未评估"],
            "截至快照日期各国落实《西安宣言》和《阿斯塔纳宣言》所载承诺情况评分表（按状态分列）",
            "机制全部承诺及其状态、证据和资料来源",
            "各国项目及承诺金额（人民币）",
            "各国承诺按状态分布", "伙伴关系与目标对比",
            ["国家", "已落实", "部分落实", "未落实", "未评估", "承诺金额（人民币）", "最近报告"],
            ["序号", "承诺", "国家", "状态", "期限", "金额（人民币）", "证据"],
            "承诺", "《中国—中亚峰会西安宣言》（2023年）", "中国—中亚机制秘书处，2025年第1轮报告",
            "承诺数", "承诺金额（人民币）", "逾期承诺", "已实现", "目标", "伙伴关系",
            ["外长会晤联合公报", "贸易和一体化部第14-2/1187号函", "上半年海关统计"],
            "条约状态"),
    };

    public static ReportDocument Sample(string language, int annexRows = 150, string? draftMark = null)
    {
        var w = Texts[language];
        var culture = language switch { "zh" => "zh-CN", "ru" => "ru-RU", _ => "en-GB" };
        var format = CultureInfo.GetCultureInfo(culture).NumberFormat;
        string Money(decimal v) => v.ToString("N2", format);
        string Integer(int v) => v.ToString("N0", format);
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var scores = new[] { (31, 6, 2, 1), (24, 9, 4, 3), (18, 8, 7, 4), (15, 10, 6, 6), (12, 7, 5, 13), (22, 11, 3, 1) };
        var money = new decimal?[] { 1_500_000_000.00m, 412_750_000.50m, 88_000_000m, null, 16_250_000.75m, 302_400_000m };
        var scoreRows = new List<IReadOnlyList<ReportCell>>();
        for (var s = 0; s < 6; s++)
        {
            var (a, b, c, d) = scores[s];
            var last = new DateOnly(2025, 3, 1).AddDays(s * 17);
            scoreRows.Add([
                new(w.StateNames[s]), new(Integer(a), a), new(Integer(b), b), new(Integer(c), c), new(Integer(d), d),
                money[s] is { } m ? new(Money(m), m) : ReportCell.Empty, new(Day(last), Date: last),
            ]);
        }
        var scoreTable = new ReportTable("scorecard", w.CaptionScore,
            [
                new("state", w.Columns[0], ReportCellKind.Text), new("complied", w.Columns[1], ReportCellKind.Integer),
                new("partly", w.Columns[2], ReportCellKind.Integer), new("not-complied", w.Columns[3], ReportCellKind.Integer),
                new("not-assessed", w.Columns[4], ReportCellKind.Integer), new("committed", w.Columns[5], ReportCellKind.Money),
                new("last-reported", w.Columns[6], ReportCellKind.Date),
            ],
            scoreRows, [w.Source1, w.Source2]);
        var scoreChart = new ReportChart("scorecard-chart", w.ChartScore, ReportChartKind.StackedBar, w.StateNames,
            Enumerable.Range(0, 4).Select(k => new ReportSeries(w.StatusNames[k],
                scores.Select(t => (double?)(k switch { 0 => t.Item1, 1 => t.Item2, 2 => t.Item3, _ => t.Item4 })).ToList())).ToList(),
            "scorecard", w.Commitments);

        var partnerTable = new ReportTable("partnerships", w.ChartPartners,
            [new("state", w.Columns[0], ReportCellKind.Text), new("achieved", w.Achieved, ReportCellKind.Integer),
             new("target", w.Target, ReportCellKind.Integer)],
            w.StateNames.Select((n, i) => (IReadOnlyList<ReportCell>)[new(n), i == 3 ? ReportCell.Empty : new(Integer(4 + i * 3), 4 + i * 3),
                new(Integer(12 + i), 12 + i)]).ToList(),
            [w.Source2]);
        var partnerChart = new ReportChart("partnerships-chart", w.ChartPartners, ReportChartKind.Progress, w.StateNames,
            [new(w.Achieved, w.StateNames.Select((_, i) => i == 3 ? (double?)null : 4 + i * 3).ToList()),
             new(w.Target, w.StateNames.Select((_, i) => (double?)(12 + i)).ToList())],
            "partnerships", w.MoneyAxis);

        var moneyTable = new ReportTable("money", w.CaptionMoney,
            [new("state", w.Columns[0], ReportCellKind.Text), new("committed", w.Columns[5], ReportCellKind.Money)],
            w.StateNames.Select((n, i) => (IReadOnlyList<ReportCell>)[new(n), money[i] is { } m ? new(Money(m), m) : ReportCell.Empty]).ToList(),
            [w.Source2, w.Note]);
        var moneyChart = new ReportChart("money-chart", w.CaptionMoney, ReportChartKind.Bar, w.StateNames,
            [new(w.FigureMoney, money.Select(m => m is { } v ? (double?)(double)(v / 1_000_000m) : null).ToList())],
            "money", "RMB million");

        var annex = new List<IReadOnlyList<ReportCell>>();
        for (var i = 1; i <= annexRows; i++)
        {
            var state = w.StateNames[i % 6];
            var due = new DateOnly(2024, 1, 1).AddDays(i * 7 % 900);
            decimal? amount = i % 5 == 0 ? null : 1_000_000m * (i % 37) + i * 0.25m;
            annex.Add([
                new(Integer(i), i), new($"{w.Directions} {i}: {w.Lead[..Math.Min(w.Lead.Length, 40 + i % 30)]}"), new(state),
                new(w.StatusNames[i % 4]), new(Day(due), Date: due), amount is { } a ? new(Money(a), a) : ReportCell.Empty,
                new(w.Evidence[i % 3]),
            ]);
        }
        var annexTable = new ReportTable("annex", w.CaptionAnnex,
            w.AnnexColumns.Select((t, k) => new ReportColumn(
                new[] { "no", "commitment", "state", "status", "due", "amount", "evidence" }[k], t,
                k switch { 0 => ReportCellKind.Integer, 4 => ReportCellKind.Date, 5 => ReportCellKind.Money, _ => ReportCellKind.Text })).ToList(),
            annex, [w.Source1, w.Source2], Annex: true, SheetName: w.Commitments);

        var emptyTable = new ReportTable("treaties", w.Treaty,
            [new("treaty", w.Treaty, ReportCellKind.Text), new("state", w.Columns[0], ReportCellKind.Text)], [], [w.Source2]);

        return new ReportDocument
        {
            Language = language,
            Title = w.Title,
            Subtitle = w.Subtitle,
            SnapshotId = "round-2025-1",
            AsAt = new DateOnly(2025, 6, 16),
            DraftMark = draftMark is null ? null : w.Draft,
            Labels = w.Labels,
            Blocks =
            [
                new ReportContents(),
                new ReportPageBreak(),
                new ReportHeading(1, w.Part1, "key-figures"),
                new ReportParagraph(w.Lead, ReportParagraphStyle.Lead),
                new ReportFigures([
                    new(w.FigureCommitments, Integer(154), 154, [w.Source1]),
                    new(w.FigureMoney, Money(1_500_000_000.00m), 1_500_000_000.00m, [w.Source2]),
                    new(w.FigureLate, Integer(17), 17, [w.Source2]),
                    new(w.Achieved, "", null, []),
                ]),
                new ReportHeading(1, w.Part2, "directions"),
                new ReportHeading(2, w.Directions, "direction-trade"),
                new ReportParagraph(w.Body),
                scoreChart, scoreTable,
                new ReportHeading(3, w.ChartPartners, "direction-trade-partnerships"),
                partnerChart, partnerTable,
                new ReportHeading(2, w.States, "states"),
                new ReportParagraph(w.Body + " " + w.Body),
                moneyChart, moneyTable,
                new ReportParagraph(w.Note, ReportParagraphStyle.Note),
                emptyTable,
                new ReportPageBreak(),
                new ReportHeading(1, w.Part3, "annex"),
                annexTable,
            ],
        };
    }
}
