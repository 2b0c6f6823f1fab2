using System.CommandLine;
using System.Globalization;
using Caravan.Data;
using Caravan.Features.OpenData;
using Caravan.Web.Features.OpenData;
using Caravan.Web.Features.Shared;

namespace Caravan.Web.Cli;

/// <summary>
/// <c>caravan export open-data --snapshot ID|current --output FILE</c>: the same zip the portal and the API serve (a
/// snapshot's stored release, built and stored first if need be). Exit 0 written; 1 no such release (the message lists
/// those that exist).
/// </summary>
internal static class OpenDataCli
{
    public static Command Command(Option<string?> provider, Option<string?> connection,
        Func<string?, string?, Task<CaravanDbContext>> context, TextWriter error)
    {
        var snapshot = new Option<string>("--snapshot")
            { Description = "The release: a closed snapshot's id, or current.", Required = true };
        var file = new Option<string>("--output") { Description = "The zip to write.", Required = true };
        var command = new Command("open-data",
            "Write an open data release (zip: CSV per table, JSON, IATI 2.03, datapackage.json, SHA256SUMS). "
            + "Exit code: 0 written; 1 no such release.") { snapshot, file, provider, connection };
        command.SetAction(async (result, ct) =>
        {
            await using var db = await context(result.GetValue(provider), result.GetValue(connection));
            var settings = CaravanCli.Configuration().GetSection(OpenDataFeature.Section).Get<OpenDataSettings>()
                ?? new OpenDataSettings();
            var releases = new OpenDataReleases(db, settings, TimeProvider.System);
            var id = result.GetValue(snapshot)!;
            var path = result.GetValue(file)!;
            try
            {
                var release = await releases.OpenAsync(id, ct);
                if (release is null)
                {
                    await error.WriteLineAsync(MessageFormatter.Format(await releases.UnknownAsync(id, ct),
                        CultureInfo.CurrentUICulture));
                    return 1;
                }
                // Written beside the target and moved over it: a failed export never leaves half a file.
                var temp = path + ".partial";
                await using (var stream = File.Create(temp)) await release.CopyToAsync(stream, ct);
                File.Move(temp, path, overwrite: true);
                await error.WriteLineAsync(
                    $"open data release {release.Version}: {release.Bytes} bytes, SHA-256 {release.Sha256}, written to {path}");
                return 0;
            }
            finally { releases.ForgetCurrent(); }
        });
        return command;
    }
}
