using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Caravan.Features.Audit;

/// <summary>
/// The keys that seal audit entries, by key id, and the one new entries are sealed with. Kept outside the
/// database (a setting or a key file), so that write access to the database alone cannot forge an entry.
/// Old keys stay in the ring after a rotation: each entry names the key it was sealed with.
/// </summary>
public sealed class AuditKeyRing
{
    /// <summary>A key shorter than this is refused: HMAC-SHA256 is as strong as its key.</summary>
    public const int MinimumKeyBytes = 32;

    private readonly Dictionary<string, byte[]> _keys;

    public AuditKeyRing(string currentKeyId, IReadOnlyDictionary<string, byte[]> keys)
    {
        _keys = new Dictionary<string, byte[]>(keys, StringComparer.Ordinal);
        foreach (var (id, key) in _keys)
        {
            if (!IsKeyId(id))
                throw new ArgumentException($"The audit key id '{id}' is not 1 to 32 letters, digits, '-' or '_'.");
            if (key.Length < MinimumKeyBytes)
                throw new ArgumentException(
                    $"The audit key '{id}' has {key.Length} bytes; at least {MinimumKeyBytes} are needed.");
        }
        if (!_keys.ContainsKey(currentKeyId))
            throw new ArgumentException($"The current audit key '{currentKeyId}' is not among the keys "
                + $"({string.Join(", ", _keys.Keys.Order(StringComparer.Ordinal))}).");
        CurrentKeyId = currentKeyId;
    }

    public string CurrentKeyId { get; }

    public IReadOnlyCollection<string> KeyIds => _keys.Keys;

    public bool TryGetKey(string keyId, out byte[] key) => _keys.TryGetValue(keyId, out key!);

    public static bool IsKeyId(string id) => id.Length is > 0 and <= 32
        && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(MinimumKeyBytes);
}

/// <summary>
/// Carries the key ring in the DbContext's options, so that <see cref="AuditRecorder"/> (which runs inside
/// <c>SaveChangesAsync</c>) and <see cref="AuditQueries"/> reach it from any context, however it was built
/// (the web host's or the CLI's), without a static shared by every app in a process.
/// </summary>
public sealed class AuditSealExtension(AuditKeyRing keys) : IDbContextOptionsExtension
{
    public AuditKeyRing Keys { get; } = keys;

    public DbContextOptionsExtensionInfo Info => new ExtensionInfo(this);

    public void ApplyServices(IServiceCollection services) { }

    public void Validate(IDbContextOptions options) { }

    /// <summary>The context's key ring; a context built without one cannot write to the audit trail.</summary>
    public static AuditKeyRing KeysOf(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<AuditSealExtension>()?.Keys
        ?? throw new InvalidOperationException(
            "No audit key: this database context was built without UseAuditKeys, so it cannot seal or verify "
            + "audit entries.");

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;
        public override string LogFragment => "AuditKeys ";
        // The keys change no EF service: every context may share one internal service provider.
        public override int GetServiceProviderHashCode() => 0;
        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) =>
            other is ExtensionInfo;
        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["Caravan:AuditKeys"] = "1";
    }
}

public static class AuditSealOptions
{
    /// <summary>Seal new audit entries with <paramref name="keys"/>' current key; verify with any of them.</summary>
    public static DbContextOptionsBuilder UseAuditKeys(this DbContextOptionsBuilder options, AuditKeyRing keys)
    {
        ((IDbContextOptionsBuilderInfrastructure)options).AddOrUpdateExtension(new AuditSealExtension(keys));
        return options;
    }
}
