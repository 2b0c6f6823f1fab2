using System.Net.Http.Json;

namespace Caravan.Tests.Support;

/// <summary>
/// A change as a client makes it: read the record (or submission), then PUT against the version read, sent as
/// If-Match with the ETag the read returned — an update without a version is refused (428).
/// </summary>
public static class Changes
{
    public static async Task<HttpResponseMessage> PutChangeAsync(this HttpClient client, string url, object body,
        CancellationToken ct)
    {
        using var read = await client.GetAsync(url, ct);
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
        if (read.Headers.ETag is { } tag) put.Headers.IfMatch.Add(tag);
        return await client.SendAsync(put, ct);
    }
}
