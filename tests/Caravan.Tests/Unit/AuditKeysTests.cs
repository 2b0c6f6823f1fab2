using Caravan.Features.Audit;
using Caravan.Web.Features.Audit;
using Caravan.Web.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Caravan.Tests.Unit;

/// <summary>Where the audit key comes from: a file made on first use, settings, both after a move, a rotation.</summary>
public sealed class AuditKeysTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("caravan-audit-keys-");

    private IConfiguration Config(params (string Key, string Value)[] values) => new ConfigurationBuilder()
        .AddInMemoryCollection([new("Caravan:Accounts:KeysFolder", _folder.FullName),
            .. values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))])
        .Build();

    private string KeyFile => Path.Combine(_folder.FullName, "audit-keys.json");

    private static string NewKey() => Convert.ToBase64String(AuditKeyRing.NewKey());

    [Fact]
    public void With_no_key_set_a_key_file_is_made_beside_the_data_protection_keys_and_read_back()
    {
        var first = AuditKeys.Load(Config());
        Assert.True(File.Exists(KeyFile));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFile));
        var again = AuditKeys.Load(Config());
        Assert.Equal(("k1", "k1"), (first.CurrentKeyId, again.CurrentKeyId));
        first.TryGetKey("k1", out var a);
        again.TryGetKey("k1", out var b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Keys_from_settings_are_used_without_a_file_and_joined_with_the_file_after_a_move()
    {
        var settings = AuditKeys.Load(Config(("Caravan:Audit:Keys:prod-1", NewKey())));
        Assert.Equal("prod-1", settings.CurrentKeyId);
        Assert.False(File.Exists(KeyFile), "no file is made when the key is set");

        _ = AuditKeys.Load(Config()); // the embedded default's file, as on a first `dotnet run`
        var moved = AuditKeys.Load(Config(("Caravan:Audit:Keys:prod-1", NewKey())));
        Assert.Equal("prod-1", moved.CurrentKeyId);
        Assert.True(moved.TryGetKey("k1", out _), "entries sealed with the file's key still verify");
    }

    [Fact]
    public void Rotation_makes_a_new_current_key_and_keeps_the_old_one()
    {
        var before = AuditKeys.Load(Config());
        var id = AuditKeys.Rotate(Config());
        var after = AuditKeys.Load(Config());
        Assert.Equal(("k1", "k2", "k2"), (before.CurrentKeyId, id, after.CurrentKeyId));
        before.TryGetKey("k1", out var old);
        Assert.True(after.TryGetKey("k1", out var kept));
        Assert.Equal(old, kept);
    }

    [Fact]
    public void A_bad_key_or_a_missing_current_key_stops_with_a_message_that_names_the_setting()
    {
        var notBase64 = Assert.Throws<CaravanStartupException>(() =>
            AuditKeys.Load(Config(("Caravan:Audit:Keys:k1", "not base64!"))));
        Assert.Contains("Caravan:Audit:Keys:k1 is not base64", notBase64.Message);
        var tooShort = Assert.Throws<CaravanStartupException>(() =>
            AuditKeys.Load(Config(("Caravan:Audit:Keys:k1", Convert.ToBase64String(new byte[16])))));
        Assert.Contains("has 16 bytes; at least 32 are needed", tooShort.Message);
        var which = Assert.Throws<CaravanStartupException>(() =>
            AuditKeys.Load(Config(("Caravan:Audit:Keys:k1", NewKey()), ("Caravan:Audit:Keys:k2", NewKey()))));
        Assert.Contains("set Caravan:Audit:CurrentKey", which.Message);
        File.WriteAllText(KeyFile, "{}");
        Assert.Contains($"{KeyFile} is not an audit key file",
            Assert.Throws<CaravanStartupException>(() => AuditKeys.Load(Config())).Message);
    }

    [Fact]
    public void An_anchor_file_line_that_is_not_an_anchor_is_named_by_file_and_line()
    {
        var file = Path.Combine(_folder.FullName, "anchors.log");
        File.WriteAllLines(file, [$"2026-12-07T04:00:00Z 12:{new string('a', 64)} daily", "", "garbage"]);
        var error = Assert.Throws<InvalidDataException>(() => AuditAnchoring.ReadFile(file));
        Assert.StartsWith($"{file}:3: not an anchor line", error.Message);
        File.WriteAllLines(file, [$"2026-12-07T04:00:00Z 12:{new string('A', 64)} daily"]);
        Assert.Equal([new AuditHead(12, new string('a', 64), $"{file}:1")], AuditAnchoring.ReadFile(file));
    }

    public void Dispose()
    {
        try { _folder.Delete(recursive: true); } catch (IOException) { }
    }
}
