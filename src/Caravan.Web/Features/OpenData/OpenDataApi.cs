using Caravan.Features.OpenData;
using Caravan.Shared;
using Caravan.Web.Features.Shared;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Caravan.Web.Features.OpenData;

/// <param name="Bytes">Null (with <c>Sha256</c>) while the release has not been built: it is on its first download.</param>
public sealed record OpenDataReleaseDto(string Id, string Version, DateTimeOffset Created, LocalizedText? Period,
    long? Bytes, string? Sha256, string Download, string Citation, string? PreviousRelease,
    IReadOnlyList<TableSummary>? Tables);

public sealed record OpenDataListDto(string Licence, string LicenceTitle, string LicenceUrl, string Statement,
    IReadOnlyList<OpenDataReleaseDto> Releases);

/// <summary>/api/v1/open-data: the releases, and each as a zip (a snapshot's id, or current).</summary>
public static class OpenDataApi
{
    public static void MapOpenDataApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/open-data").WithTags("Open data");
        api.MapGet("/", async (OpenDataReleases releases, OpenDataSettings settings, CancellationToken ct) =>
            Results.Json(await ListAsync(releases, settings, ct), Api.Json))
            .WithName("ListOpenDataReleases")
            .WithSummary("Open data releases: current and one per closed snapshot, with date, size, SHA-256, "
                + "licence, citation and the changes from the release before")
            .Produces<OpenDataListDto>();

        api.MapGet("/{release}.zip", DownloadAsync)
            .WithName("GetOpenDataRelease")
            .WithSummary("A release as one zip: a CSV per table, one JSON file, the projects as IATI 2.03, "
                + "datapackage.json (Frictionless) and SHA256SUMS. release: a snapshot's id, or current")
            .WithDescription("The ETag is the zip's SHA-256; a snapshot's release never changes once built. "
                + "An unknown release: 404 naming those that exist.")
            .Produces(200, contentType: "application/zip").ProducesProblem(404);
    }

    public static async Task<OpenDataListDto> ListAsync(OpenDataReleases releases, OpenDataSettings settings,
        CancellationToken ct) => new(settings.Licence, settings.LicenceTitle, settings.LicenceUrl, settings.Statement,
        [.. (await releases.ListAsync(ct)).Select(r => new OpenDataReleaseDto(r.Id, r.Version, r.Created, r.PeriodName,
            r.Bytes, r.Sha256, $"/api/v1/open-data/{r.Id}.zip", settings.CitationOf(r.Version, r.Created),
            r.Summary?.PreviousId, r.Summary?.Tables))]);

    private static async Task<IResult> DownloadAsync(string release, HttpContext http, OpenDataReleases releases,
        IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var file = await releases.OpenAsync(release, ct);
        if (file is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: l["open-data.not-found"],
                detail: MessageFormatter.Format(l, await releases.UnknownAsync(release, ct)));
        var etag = new EntityTagHeaderValue($"\"{file.Sha256}\"");
        var response = http.Response;
        response.Headers.ETag = etag.ToString();
        // A snapshot's release never changes; current changes with the data, so it is checked each time.
        response.Headers.CacheControl = file.Id == OpenDataReleases.Current ? "no-cache" : "public, max-age=31536000, immutable";
        if (http.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } match
            && match.Any(m => m.Tag == etag.Tag || m.Tag == "*"))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment")
            { FileNameStar = file.FileName, FileName = file.FileName }.ToString();
        response.ContentType = "application/zip";
        response.ContentLength = file.Bytes;
        if (HttpMethods.IsHead(http.Request.Method)) return Results.Empty;
        await file.CopyToAsync(response.Body, ct);
        return Results.Empty;
    }
}
