using Caravan.Data;
using Microsoft.AspNetCore.OutputCaching;

namespace Caravan.Web.Infrastructure;

/// <summary>
/// The data a page or an API endpoint shows, named by entity types (their feature is the cache tag): a write to other
/// features leaves its cached answers in place. Without it an answer depends on all public data.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class DependsOnAttribute(params Type[] entities) : Attribute
{
    public IReadOnlyList<string> Tags { get; } = [.. entities
        .Select(e => CacheTags.Of(e) ?? throw new ArgumentException($"{e.FullName} is not public data of a feature."))
        .Distinct(StringComparer.Ordinal)];
}

/// <summary>
/// The one output cache of pages and API answers: entries are tagged by what they depend on, evicted when those tags'
/// versions move (here or in another process), and expire after <see cref="Expiry"/> whatever the traffic.
/// </summary>
public static class Caching
{
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(10);

    public static void AddCaravanCaching(this IServiceCollection services) =>
        services.AddHostedService<CacheEviction>();

    /// <summary>
    /// Tags the entry with the endpoint's <see cref="DependsOnAttribute"/>, or with <see cref="CacheTags.Public"/>.
    /// </summary>
    public sealed class DependsOnPolicy : IOutputCachePolicy
    {
        public ValueTask CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
        {
            var tags = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<DependsOnAttribute>()?.Tags
                ?? [CacheTags.Public];
            var version = context.HttpContext.RequestServices.GetRequiredService<DataVersion>();
            foreach (var tag in tags) context.Tags.Add(tag);
            // Eviction frees the memory; the key makes it exact, even for an answer that was being built when data
            // changed.
            context.CacheVaryByRules.VaryByValues["data"] = string.Join(".", tags.Select(version.Of));
            return ValueTask.CompletedTask;
        }

        public ValueTask ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) =>
            ValueTask.CompletedTask;
        public ValueTask ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation) =>
            ValueTask.CompletedTask;
    }

    /// <summary>Evicts the tags written, and the tag of answers that depend on all public data.</summary>
    private sealed class CacheEviction(DataVersion version, IOutputCacheStore store, ILogger<CacheEviction> log)
        : IHostedService
    {
        private void OnChanged(IReadOnlyCollection<string> tags) => _ = EvictAsync(tags);

        private async Task EvictAsync(IReadOnlyCollection<string> tags)
        {
            try
            {
                foreach (var tag in tags.Append(CacheTags.Public).Distinct(StringComparer.Ordinal))
                    await store.EvictByTagAsync(tag, CancellationToken.None);
            }
            catch (Exception e)
            {
                log.LogError(e, "Evicting the cache tags {Tags} failed", string.Join(", ", tags));
            }
        }

        public Task StartAsync(CancellationToken cancellationToken)
            { version.Changed += OnChanged; return Task.CompletedTask; }
        public Task StopAsync(CancellationToken cancellationToken)
            { version.Changed -= OnChanged; return Task.CompletedTask; }
    }
}
