using System.CommandLine;
using System.Globalization;
using Caravan.Data;
using Caravan.Features.Reports;
using Caravan.Web.Features.Reports;
using Caravan.Web.Features.Shared;

namespace Caravan.Web.Cli;

/// <summary>
/// <c>caravan report --snapshot ID --lang zh|ru|en --format docx|xlsx|pdf [--output F] [--currency X]</c>: the summit
/// progress report, made as the portal and the API make it. Refusals are written in the environment's language.
/// </summary>
internal static class ReportCli
{
    /// <summary>An unknown snapshot, language, format or currency: the message lists what exists.</summary>
    public const int Refused = 2;

    public static Command Report(Option<string?> provider, Option<string?> connection,
        Func<string?, string?, Task<CaravanDbContext>> context, TextWriter output, TextWriter error)
    {
        var snapshot = new Option<string>("--snapshot")
            { Description = "The closed snapshot (a reporting period's id, e.g. xian-to-astana).", Required = true };
        var lang = new Option<string>("--lang") { Description = "The report's language: zh, ru or en.", Required = true };
        var format = new Option<string>("--format") { Description = "docx, xlsx or pdf.", Required = true };
        var file = new Option<string?>("--output")
            { Description = "The file to write (default: caravan-report-SNAPSHOT-LANG-CURRENCY.FORMAT here)." };
        var currency = new Option<string?>("--currency")
            { Description = "The currency of the projects' money (default USD); the rates' sources are named." };
        var command = new Command("report",
            "Write the summit progress report of a closed snapshot (\"Status as at …\") in a language and format. The "
            + "same snapshot, language, format and currency give the same content. Exit code 2: an unknown snapshot, "
            + "language, format or currency (the message lists what exists).")
            { snapshot, lang, format, file, currency, provider, connection };
        command.SetAction(async (result, ct) =>
        {
            await using var db = await context(result.GetValue(provider), result.GetValue(connection));
            var maker = new ReportMaker(db, TimeProvider.System);
            var (made, refusal) = await maker.MakeAsync(result.GetValue(snapshot)!, result.GetValue(lang),
                result.GetValue(format), result.GetValue(currency), ReportsFeature.Words, ct);
            if (refusal is not null)
            {
                await error.WriteLineAsync(MessageFormatter.Format(refusal.Message, CultureInfo.CurrentUICulture));
                return Refused;
            }
            var path = result.GetValue(file) ?? made!.FileName;
            // Written beside the target and moved over it: a failed run never leaves half a file.
            var temp = path + ".partial";
            await File.WriteAllBytesAsync(temp, made!.Bytes, ct);
            File.Move(temp, path, overwrite: true);
            await output.WriteLineAsync($"{path}: {made.Bytes.Length} bytes, content sha256 {made.ContentHash}");
            return 0;
        });
        return command;
    }
}
