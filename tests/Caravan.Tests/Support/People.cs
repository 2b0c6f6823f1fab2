using System.Net.Http.Headers;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Features.Audit;
using Caravan.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;

namespace Caravan.Tests.Support;

/// <summary>A person with an account made for a test: password, TOTP key and an API token.</summary>
public sealed record Person(string Id, string Email, string Password, string TotpKey, string Token, CaravanRole Role, string? StateId, IReadOnlyList<string> Bodies)
{
    public string Label => Role switch
    {
        CaravanRole.NationalCoordinator => $"coordinator:{StateId}",
        CaravanRole.ProgrammeOfficer => $"officer:{string.Join(",", Bodies)}",
        _ => Caller.RoleName(Role),
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> LastStep = new();

    /// <summary>
    /// The authenticator app's code, as a person would type it: a code is taken once (each is used for one sign-in),
    /// so a second sign-in within the same 30 seconds gets the next step's code, and a third waits for it, as a
    /// person waits for the app to show a new one.
    /// </summary>
    public string TotpNow()
    {
        var totp = new Totp(Base32Encoding.ToBytes(TotpKey));
        while (true)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
            var last = LastStep.GetValueOrDefault(Id, long.MinValue);
            var step = Math.Max(now, last + 1);
            // The server takes one step either side of its own.
            if (step <= now + 1 && LastStep.TryUpdate(Id, step, last) | (last == long.MinValue && LastStep.TryAdd(Id, step)))
                return totp.ComputeTotp(DateTime.UnixEpoch.AddSeconds(step * 30));
            if (step > now + 1) Thread.Sleep(500);
        }
    }

    public Caller AsCaller() => new(Id, Email, Role, StateId, Bodies.ToHashSet(), SecondFactor: true);
}

/// <summary>
/// Accounts for tests, made through the same services as the portal and the CLI (invitation, password,
/// TOTP key): only the authenticator app is simulated, with Otp.NET.
/// </summary>
public static class People
{
    public const string Password = "correct horse battery staple";

    public static Task<Person> CreateAsync(CaravanApp app, CaravanRole role, string? state = null, IReadOnlyList<string>? bodies = null, bool readOnlyToken = false, string? email = null) =>
        CreateAsync(app.Services, role, state, bodies, readOnlyToken, email);

    public static async Task<Person> CreateAsync(IServiceProvider services, CaravanRole role, string? state = null, IReadOnlyList<string>? bodies = null, bool readOnlyToken = false, string? email = null)
    {
        using var scope = services.CreateScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<CaravanUser>>();
        var actor = new AuditActor("test", "system", "test setup");
        email ??= $"{Caller.RoleName(role)}-{state ?? string.Join("-", bodies ?? [])}-{Guid.NewGuid():N}@example.org".ToLowerInvariant();
        var (user, _, errors) = await accounts.InviteAsync(email, email, role, state, bodies ?? [], actor, "test");
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => e.Message)));
        Assert.Empty(await accounts.SetPasswordAsync(user!, Password, actor));
        await users.ResetAuthenticatorKeyAsync(user!);
        var key = (await users.GetAuthenticatorKeyAsync(user!))!;
        await users.SetTwoFactorEnabledAsync(user!, true);
        var person = new Person(user!.Id, email, Password, key, "", role, state, bodies ?? []);
        var (_, secret, tokenErrors) = await accounts.CreateTokenAsync(person.AsCaller(), "tests", 30, readOnlyToken);
        Assert.Empty(tokenErrors);
        return person with { Token = secret! };
    }

    public static HttpClient Api(this CaravanApp app, Person? person, string language = "en")
    {
        var client = app.Client();
        if (person is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", person.Token);
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        return client;
    }
}
