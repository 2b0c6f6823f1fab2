using System.Text.Json;
using Caravan.Features.Audit;
using Caravan.Web.Features.Accounts;
using Caravan.Web.Infrastructure;

namespace Caravan.Web.Features.Audit;

/// <summary>
/// <c>Caravan:Audit</c>: the keys that seal the audit trail and where its anchors go. A deployment sets
/// <c>Keys</c> (key id → base64 key, at least 32 bytes) and <c>CurrentKey</c> in the environment or a secret
/// store, or points <c>KeyFile</c> outside the data directory; otherwise a key is made on first use in
/// <c>audit-keys.json</c> beside the data-protection keys (<c>Caravan:Accounts:KeysFolder</c>).
/// </summary>
public sealed class AuditSettings
{
    public const string Section = "Caravan:Audit";
    public Dictionary<string, string> Keys { get; set; } = [];
    public string? CurrentKey { get; set; }
    /// <summary>A JSON file {"current": id, "keys": {id: base64}}; made with one key if absent.</summary>
    public string? KeyFile { get; set; }
    /// <summary>A file each anchor is appended to (one line: time, ID:SEAL, source); read back by verify.</summary>
    public string? AnchorFile { get; set; }
    /// <summary>How often the portal records the head (also once at start); zero: only at start.</summary>
    public TimeSpan AnchorEvery { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>Reads the key ring: keys from settings and the key file together, so an old key still verifies.</summary>
public static partial class AuditKeys
{
    private sealed record KeyFileContent(string Current, Dictionary<string, string> Keys);

    // Source-generated: reflection-based serialisation cost every CLI verb ~20 ms at its start (ADR 0024).
    [System.Text.Json.Serialization.JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
    [System.Text.Json.Serialization.JsonSerializable(typeof(KeyFileContent))]
    private sealed partial class KeyFileJson : System.Text.Json.Serialization.JsonSerializerContext;

    public static AuditSettings Settings(IConfiguration configuration) =>
        configuration.GetSection(AuditSettings.Section).Get<AuditSettings>() ?? new AuditSettings();

    /// <summary>The key file: as set, else <c>audit-keys.json</c> in the data-protection keys folder.</summary>
    public static string KeyFilePath(IConfiguration configuration)
    {
        var settings = Settings(configuration);
        if (settings.KeyFile is { Length: > 0 } file) return Path.GetFullPath(file);
        var accounts = configuration.GetSection(AccountSettings.Section).Get<AccountSettings>()
            ?? new AccountSettings();
        return Path.GetFullPath(Path.Combine(accounts.KeysFolder, "audit-keys.json"));
    }

    /// <summary>Where the current key comes from, for the start-up warning and <c>audit key</c>.</summary>
    public static bool FromSettings(IConfiguration configuration) => Settings(configuration).Keys.Count > 0;

    /// <summary>
    /// The ring: the key file's keys (the file is made with a new key when no key is set at all) and the
    /// settings' keys, the settings winning for the current key. A bad key is a <see cref="CaravanStartupException"/>
    /// that names the setting or the file.
    /// </summary>
    public static AuditKeyRing Load(IConfiguration configuration)
    {
        var settings = Settings(configuration);
        var path = KeyFilePath(configuration);
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? current = null;
        if (File.Exists(path) || settings.Keys.Count == 0)
        {
            var content = File.Exists(path) ? ReadFile(path) : CreateFile(path);
            foreach (var (id, value) in content.Keys) keys[id] = Decode(value, $"{path}: key '{id}'");
            current = content.Current;
        }
        foreach (var (id, value) in settings.Keys)
            keys[id] = Decode(value, $"{AuditSettings.Section}:Keys:{id}");
        if (settings.Keys.Count > 0)
            current = settings.CurrentKey
                ?? (settings.Keys.Count == 1 ? settings.Keys.Keys.Single()
                    : throw new CaravanStartupException(
                        $"{AuditSettings.Section}:Keys holds {settings.Keys.Count} keys: set "
                        + $"{AuditSettings.Section}:CurrentKey to the one new entries are sealed with."));
        else if (settings.CurrentKey is { } chosen) current = chosen;
        try
        {
            return new AuditKeyRing(current!, keys);
        }
        catch (ArgumentException e)
        {
            throw new CaravanStartupException($"Audit keys ({path}, {AuditSettings.Section}): {e.Message}", e);
        }
    }

    /// <summary>
    /// Adds a new key to the key file and makes it current (rotation): entries sealed before keep their key id and
    /// verify with the old key, which stays in the file. Returns the new key id.
    /// </summary>
    public static string Rotate(IConfiguration configuration)
    {
        var path = KeyFilePath(configuration);
        var content = File.Exists(path) ? ReadFile(path) : CreateFile(path);
        var n = content.Keys.Count + 1;
        while (content.Keys.ContainsKey($"k{n}")) n++;
        var id = $"k{n}";
        content.Keys[id] = Convert.ToBase64String(AuditKeyRing.NewKey());
        Write(path, content with { Current = id }, replace: true);
        return id;
    }

    private static KeyFileContent ReadFile(string path)
    {
        try
        {
            var content = JsonSerializer.Deserialize(File.ReadAllText(path), KeyFileJson.Default.KeyFileContent);
            if (content is { Current.Length: > 0, Keys: not null }) return content;
        }
        catch (JsonException) { }
        throw new CaravanStartupException(
            $"{path} is not an audit key file ({{\"current\": \"k1\", \"keys\": {{\"k1\": \"<base64>\"}}}}).");
    }

    /// <summary>A new file with one key; if another process made it first, theirs is kept and read.</summary>
    private static KeyFileContent CreateFile(string path)
    {
        var content = new KeyFileContent("k1", new() { ["k1"] = Convert.ToBase64String(AuditKeyRing.NewKey()) });
        return Write(path, content, replace: false) ? content : ReadFile(path);
    }

    private static bool Write(string path, KeyFileContent content, bool replace)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(content, KeyFileJson.Default.KeyFileContent));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temporary, path, overwrite: replace);
            return true;
        }
        catch (IOException) when (!replace && File.Exists(path))
        {
            File.Delete(temporary);
            return false;
        }
    }

    private static byte[] Decode(string value, string where)
    {
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException e)
        {
            throw new CaravanStartupException($"{where} is not base64 (make one with `openssl rand -base64 32`).", e);
        }
    }
}
