using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Caravan.Data;
using Caravan.Features.Accounts;
using Caravan.Web.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Caravan.Web.Features.Accounts;

/// <summary>
/// <c>Caravan:Accounts</c>: how long invitations and tokens live, how many sign-in attempts an address gets.
/// </summary>
public sealed class AccountSettings
{
    public const string Section = "Caravan:Accounts";
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);
    public int SignInAttemptsPerMinute { get; set; } = 10;
    /// <summary>
    /// Where the keys that protect cookies and invitation links are kept; shared by the portal and the CLI.
    /// </summary>
    public string KeysFolder { get; set; } = "data/keys";
    /// <summary>The address invitation links start with, e.g. https://caravan.example.org.</summary>
    public string? PublicUrl { get; set; }
}

/// <summary>
/// Accounts with ASP.NET Core Identity: invitation only, a long password, lockout, TOTP for everyone
/// (every account can write), sign-in rate-limited per address; cookies for the portal, personal access
/// tokens for the API, and the policies of <see cref="AccountSetup"/>.
/// </summary>
public static class AccountsFeature
{
    public static void AddAccounts(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(AccountSettings.Section).Get<AccountSettings>()
            ?? new AccountSettings();
        var services = builder.Services;
        AddCaravanIdentity(services, settings)
            .AddSignInManager()
            .AddClaimsPrincipalFactory<CaravanClaimsFactory>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, AccessTokenHandler>(AccountSetup.TokenScheme, null)
            .AddIdentityCookies();
        // Checked on every request: "sign out everywhere", a disabled account or a new password end other sessions
        // at once.
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            o.ValidationInterval = TimeSpan.Zero;
            o.OnRefreshingPrincipal = context =>
            {
                // Keep how the person proved who they are (amr=mfa) across the refresh.
                if (context.CurrentPrincipal?.FindFirst("amr") is { } amr
                    && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                    identity.AddClaim(new Claim("amr", amr.Value));
                return Task.CompletedTask;
            };
        });
        var secure = builder.Environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "caravan.session";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secure;
            o.LoginPath = "/account/sign-in";
            o.LogoutPath = "/account/sign-out";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.Configure<CookieAuthenticationOptions>(IdentityConstants.TwoFactorUserIdScheme, o =>
        {
            o.Cookie.Name = "caravan.second-factor";
            o.Cookie.SecurePolicy = secure;
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "caravan.antiforgery";
            o.Cookie.SecurePolicy = secure;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(AccountSetup.Writer, p => p.RequireAuthenticatedUser().RequireClaim("amr", "mfa"))
            .AddPolicy(AccountSetup.Secretariat, p => p.RequireAuthenticatedUser().RequireClaim("amr", "mfa")
                .RequireClaim(AccountSetup.ClaimRole,
                    Caller.RoleName(CaravanRole.SecretariatAdmin), Caller.RoleName(CaravanRole.SecretariatEditor)))
            .AddPolicy(AccountSetup.AccountAdmin, p => p.RequireAuthenticatedUser().RequireClaim("amr", "mfa")
                .RequireClaim(AccountSetup.ClaimRole, Caller.RoleName(CaravanRole.SecretariatAdmin)))
            .AddPolicy(AccountSetup.ApiCaller,
                p => p.AddAuthenticationSchemes(AccountSetup.TokenScheme).RequireAuthenticatedUser());

        // Sign-in attempts per address are counted in the database, across nodes (SignInThrottle); the rate
        // limiter stays for any other policy.
        services.AddRateLimiter(o => o.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
        services.AddScoped<SignInThrottle>();
    }

    /// <summary>
    /// The Identity user store, password and token rules, and the keys: what the portal and the CLI share.
    /// </summary>
    public static IdentityBuilder AddCaravanIdentity(IServiceCollection services, AccountSettings settings)
    {
        services.AddSingleton(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AccountService>();
        AddKeys(services, settings);
        services.AddTransient<InvitationTokenProvider>();
        services.Configure<InvitationTokenProviderOptions>(o =>
        {
            o.Name = AccountSetup.InvitationPurpose;
            o.TokenLifespan = settings.InvitationLifetime;
        });
        return services.AddIdentityCore<CaravanUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                // Length over composition rules (NIST SP 800-63B): 12 characters, no forced symbols.
                o.Password.RequiredLength = 12;
                o.Password.RequiredUniqueChars = 5;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Tokens.ProviderMap[AccountSetup.InvitationPurpose] =
                    new TokenProviderDescriptor(typeof(InvitationTokenProvider));
            })
            .AddEntityFrameworkStores<CaravanDbContext>()
            // Failed attempts counted under the writers' lock: a lockout that holds against guesses sent at once.
            .AddUserManager<CaravanUserManager>()
            .AddDefaultTokenProviders()
            // After the defaults, so that it replaces Identity's authenticator provider (which takes a code again).
            .AddTokenProvider<OneTimeAuthenticatorCodes>(TokenOptions.DefaultAuthenticatorProvider)
            .AddErrorDescriber<LocalizedIdentityErrors>();
    }

    /// <summary>
    /// Cookies, invitation and reset links and forms are protected with keys kept in the database (issue 18), so that
    /// every web node reads one key ring: a link made by one node, or by <c>caravan users add</c>, opens on any other,
    /// and a sign-in on one is valid on the next. Data protection's own key lifetime applies (90 days; a new key is
    /// made two days before it is used, so that every node has it first). The keys folder stays for the audit key
    /// file, and for the keys an earlier version kept there, which <see cref="ImportFolderKeysAsync"/> moves in once.
    /// </summary>
    public static void AddKeys(IServiceCollection services, AccountSettings settings)
    {
        Directory.CreateDirectory(KeysFolderOf(settings));
        services.AddDataProtection().SetApplicationName("caravan").PersistKeysToDbContext<CaravanDbContext>();
    }

    public static string KeysFolderOf(AccountSettings settings) => Path.IsPathRooted(settings.KeysFolder)
        ? settings.KeysFolder
        : Path.Combine(Directory.GetCurrentDirectory(), settings.KeysFolder);

    /// <summary>
    /// The keys an earlier version kept in the keys folder (<c>key-*.xml</c>), copied into the database when it holds
    /// none yet, so that the cookies and links they protect stay valid after the upgrade. Runs under the start-up lock.
    /// </summary>
    public static async Task<int> ImportFolderKeysAsync(CaravanDbContext db, AccountSettings settings,
        CancellationToken ct = default)
    {
        var folder = new DirectoryInfo(KeysFolderOf(settings));
        if (!folder.Exists || await db.DataProtectionKeys.AnyAsync(ct)) return 0;
        var files = folder.GetFiles("key-*.xml").OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        foreach (var file in files)
            db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file.Name),
                Xml = System.Xml.Linq.XElement.Load(file.FullName).ToString(System.Xml.Linq.SaveOptions.DisableFormatting),
            });
        if (files.Count > 0) await db.SaveChangesAsync(ct);
        return files.Count;
    }
}

/// <summary>The claims a signed-in person carries: role, state, bodies.</summary>
public sealed class CaravanClaimsFactory(UserManager<CaravanUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<CaravanUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(CaravanUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccountSetup.ClaimRole, Caller.RoleName(user.Role)));
        identity.AddClaim(new Claim("name", user.DisplayName));
        if (user.StateId is not null) identity.AddClaim(new Claim(AccountSetup.ClaimState, user.StateId));
        foreach (var body in user.BodyIds) identity.AddClaim(new Claim(AccountSetup.ClaimBody, body));
        return identity;
    }
}

public sealed class InvitationTokenProviderOptions : DataProtectionTokenProviderOptions;

/// <summary>
/// One-time invitation links: signed and time-limited by Data Protection, and bound to the account's
/// security stamp, which setting the password changes — so a link works once.
/// </summary>
public sealed class InvitationTokenProvider(IDataProtectionProvider protection,
    IOptions<InvitationTokenProviderOptions> options, ILogger<DataProtectorTokenProvider<CaravanUser>> logger)
    : DataProtectorTokenProvider<CaravanUser>(protection, options, logger);

/// <summary>
/// <c>Authorization: Bearer cvn_…</c>: a personal access token. It acts as its owner, with their current
/// role and scope, or read-only; a revoked or expired token, or a disabled owner, is simply not accepted.
/// </summary>
public sealed class AccessTokenHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    CaravanDbContext db, IUserClaimsPrincipalFactory<CaravanUser> claims, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(AccessToken.Marker, StringComparison.Ordinal))
            return AuthenticateResult.Fail("not a Caravan token");
        var hash = AccessToken.HashOf(secret);
        var now = clock.GetUtcNow();
        var token = await db.AccessTokens.AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash);
        if (token is null || !token.IsActive(now)) return AuthenticateResult.Fail("token unknown, expired or revoked");
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == token.UserId);
        if (user is null || user.Disabled || !user.TwoFactorEnabled)
            return AuthenticateResult.Fail("token unknown, expired or revoked");
        var principal = await claims.CreateAsync(user);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim("amr", "mfa"));
        if (token.ReadOnly) identity.AddClaim(new Claim(AccountSetup.ClaimReadOnly, "true"));
        var scheme = AccountSetup.TokenScheme;
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(identity.Claims, scheme)), scheme);
        return AuthenticateResult.Success(ticket);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"caravan\"";
        return Task.CompletedTask;
    }
}

/// <summary>Identity's messages (password too short…) in the reader's language.</summary>
public sealed class LocalizedIdentityErrors(Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l)
    : IdentityErrorDescriber
{
    private IdentityError Error(string code, params object[] args) =>
        new()
        {
            Code = code,
            Description = string.Format(System.Globalization.CultureInfo.CurrentCulture, l["identity." + code], args),
        };

    public override IdentityError DefaultError() => Error(nameof(DefaultError));
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), length);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), uniqueChars);
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken));
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), email);
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateEmail), userName);
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), email ?? "");
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure));
}
