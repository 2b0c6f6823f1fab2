using Caravan.Web.Cli;
using Caravan.Web.Features.Accounts;
using Caravan.Web.Features.Documents;
using Caravan.Web.Features.Health;
using Caravan.Web.Features.Home;
using Caravan.Web.Features.Projects;
using Caravan.Web.Features.Indicators;
using Caravan.Web.Features.Dashboards;
using Caravan.Web.Features.Measures;
using Caravan.Web.Features.Programmes;
using Caravan.Web.Features.Mechanism;
using Caravan.Web.Features.Submissions;
using Caravan.Web.Features.Treaties;
using Caravan.Web.Features.Partnerships;
using Caravan.Web.Features.Commitments;
using Caravan.Web.Features.Audit;
using Caravan.Web.Features.Selections;
using Caravan.Web.Features.Rounds;
using Caravan.Web.Features.Reports;
using Caravan.Web.Features.Sources;
using Caravan.Web.Features.Notifications;
using Caravan.Web.Features.OpenData;
using Caravan.Web.Infrastructure;

// No arguments, or only host settings (--urls, --environment, Section:Key=Value), start the portal and API; anything
// else is a command-line verb, or an error that names the verbs.
if (!CaravanCli.StartsWebHost(args)) return await CaravanCli.RunAsync(args);

var builder = WebApplication.CreateBuilder(args);
// Nothing a reader sends needs more than 1 MB; the upload endpoints (texts, attachments, project sheets) raise it
// for themselves.
builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 1024 * 1024);

// The platform: database, proxy, languages, pages and API.
builder.AddCaravanDatabase();
builder.AddCaravanProxy();
builder.Services.AddCaravanLocalization();
builder.Services.AddCaravanPortal();
builder.Services.AddCaravanApi();
builder.Services.AddHealth();
// The features: each registers what it owns, in its own folder.
builder.AddAccounts();
builder.Services.AddSources();
builder.Services.AddMechanism();
builder.Services.AddDocuments();
builder.Services.AddTreaties();
builder.Services.AddMeasures();
builder.Services.AddProgrammes();
builder.Services.AddCommitments();
builder.Services.AddIndicators();
builder.Services.AddDashboards();
builder.Services.AddProjects();
builder.Services.AddPartnerships();
builder.Services.AddSelections();
builder.Services.AddSubmissions();
builder.Services.AddRounds();
builder.Services.AddReports();
builder.Services.AddOpenData();
builder.AddAudit();
builder.AddNotifications();

var app = builder.Build();

if (!await app.PrepareDatabaseAsync())
{
    // Disposing flushes the console logger, so the reason reaches the operator before the process exits.
    await app.DisposeAsync();
    return 1;
}

// The client's address and scheme as the proxy that terminates TLS saw them, before anything reads them.
app.UseCaravanProxy();
app.UseSecurityHeaders();
// Language first, so that error pages re-executed below are in the reader's language too.
app.UseCaravanLocalization();
app.UseCaravanErrors();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseStandbyReads();
app.UseRateLimiter();
// After authentication (signed-in pages are never cached), outside compression (stored compressed).
app.UseOutputCache();
app.UseResponseCompression();
app.UseCaravanStaticFiles();

app.MapHealth();
app.MapOpenApi("/openapi/{documentName}.json");
app.MapCaravanApiReference();
app.MapMechanismApi();
app.MapDocumentsApi();
app.MapMeasuresApi();
app.MapProgrammesApi();
app.MapIndicatorsApi();
app.MapDashboardsApi();
app.MapTreatiesApi();
app.MapCommitmentsApi();
app.MapSnapshotsApi();
app.MapTextsApi();
app.MapAttachmentsApi();
app.MapProjectSheetApi();
app.MapRecordsApi();
app.MapAuditApi();
app.MapProjectImportApi();
app.MapProjectsApi();
app.MapSelectionsApi();
app.MapPartnershipsApi();
app.MapRoundsApi();
app.MapReportsApi();
app.MapDraftReportApi();
app.MapOpenDataApi();
app.MapRazorPages();

await app.RunAsync();
return 0;

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
