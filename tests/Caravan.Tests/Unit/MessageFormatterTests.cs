using System.Globalization;
using Caravan.Features.Programmes;
using Caravan.Features.Submissions;
using Caravan.Web.Features.Shared;

namespace Caravan.Tests.Unit;

/// <summary>
/// The one formatter, through the CLI's door (the UI strings in a given culture): each kind of typed value is written
/// the reader's way — amounts in their unit with every digit, terms translated, lists joined, text as it is.
/// </summary>
public sealed class MessageFormatterTests
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en"), Ru = CultureInfo.GetCultureInfo("ru"), Zh = CultureInfo.GetCultureInfo("zh");

    [Fact]
    public void A_ledger_problem_reads_in_its_unit_with_the_stage_translated()
    {
        var message = new LedgerProblem(LedgerMessages.OverStage, 400000000m, 500000000m, nameof(LedgerEntryKind.Committed)).ToMessage("CNY");
        Assert.Equal("Committed would reach 500,000,000 yuan (CNY), more than the 400,000,000 yuan (CNY) of the stage before.",
            MessageFormatter.Format(message, En));
        static string Ru(decimal x) => x.ToString("#,0.##", MessageFormatterTests.Ru);
        Assert.Equal($"Обязательства: было бы {Ru(500000000m)} юаней — больше, чем {Ru(400000000m)} юаней на предыдущем этапе.",
            MessageFormatter.Format(message, MessageFormatterTests.Ru));
        Assert.Equal("已承诺支出将达 500,000,000元人民币，超过上一阶段的 400,000,000元人民币。", MessageFormatter.Format(message, Zh));
    }

    [Fact]
    public void A_list_is_joined_and_text_is_shown_as_it_is()
    {
        var awaiting = new Message(SubmissionMessages.AwaitingConfirmation, MessageArg.Join(["CN", "KZ"]));
        Assert.Equal("Still awaiting confirmation from: CN, KZ.", MessageFormatter.Format(awaiting, En));
        Assert.Equal("仍在等待以下国家确认：CN、KZ。", MessageFormatter.Format(awaiting, Zh)); // the enumeration comma
        Assert.Equal("The file is larger than 10 MB.", MessageFormatter.Format(new Message(new MessageCode("projects.too-large"), "10"), En));
    }

    [Fact]
    public void A_place_without_a_value_is_empty_and_an_unknown_code_is_shown_as_its_key()
    {
        Assert.Equal("Still awaiting confirmation from: .", MessageFormatter.Format(new Message(SubmissionMessages.AwaitingConfirmation), En));
        Assert.Equal("no.such-key", MessageFormatter.Format(new Message(new MessageCode("no.such-key")), En));
    }
}
