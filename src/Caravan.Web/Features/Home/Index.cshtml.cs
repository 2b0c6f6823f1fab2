using Caravan.Features.Indicators;
using Caravan.Features.Measures;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Caravan.Web.Features.Home;

public sealed class IndexModel(MechanismQueries mechanism, IndicatorQueries indicators, MeasureQueries measures,
    CitationQueries citations, CaravanDbContext db) : PageModel
{
    /// <summary>The series the home page charts: China–Central Asia goods trade in USD.</summary>
    public const string TradeIndicatorId = "trade-turnover-usd";

    public List<MemberState> States { get; private set; } = [];
    public List<PriorityDirection> Directions { get; private set; } = [];
    public Meeting? NextSummit { get; private set; }
    public Meeting? LastSummit { get; private set; }
    public List<ReportedFigureView> Figures { get; private set; } = [];
    public List<PledgedMeasure> Pledges { get; private set; } = [];
    public Indicator? Trade { get; private set; }
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> FigureSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> PledgeSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> TradeSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public IReadOnlyList<CitedSource> NextSummitSources { get; private set; } = [];
    public (int Bodies, int Meetings, int Documents) Counts { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        States = await mechanism.StatesAsync(ct);
        Directions = await mechanism.DirectionsAsync(ct);
        var summits = await mechanism.MeetingsAsync(new MeetingFilter(Body: "summit"), ct);
        NextSummit = await mechanism.NextSummitAsync(DateOnly.FromDateTime(DateTime.UtcNow), ct);
        LastSummit = summits.LastOrDefault(m => m.Status == MeetingStatus.Held);
        if (NextSummit is not null) NextSummitSources = await citations.ForAsync(SubjectTypes.Meeting,
            NextSummit.Id, ct);
        // Reported totals that Caravan can set beside its own registry come first: they are the honest picture.
        Figures = (await indicators.ReportedFiguresAsync(ct)).Where(f => f.Registered is not null).ToList();
        FigureSources = await citations.ForAsync(SubjectTypes.ReportedFigure, Figures.Select(f => f.Figure.Id), ct);
        Pledges = LastSummit is null
            ? []
            : (await measures.ListAsync(new MeasureFilter(Meeting: LastSummit.Id), ct))
                .Where(m => m.Amount is not null).ToList();
        PledgeSources = await citations.ForAsync(SubjectTypes.Measure, Pledges.Select(m => m.Id), ct);
        Trade = await indicators.GetAsync(TradeIndicatorId, ct);
        if (Trade is not null) TradeSources = await citations.ForAsync(SubjectTypes.IndicatorValue,
            Trade.Values.Select(v => v.Id), ct);
        Counts = (await db.Bodies.CountAsync(ct), await db.Meetings.CountAsync(ct), await db.Documents.CountAsync(ct));
    }
}
