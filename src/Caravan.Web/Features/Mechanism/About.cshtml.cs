using Caravan.Features.Indicators;
using Caravan.Features.Mechanism;
using Caravan.Features.Sources;
using Caravan.Web.Features.Shared;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Caravan.Web.Features.Mechanism;

/// <summary>
/// What the mechanism is, from the dataset itself: the members with their official names, the bodies, the summits
/// and meetings, the figures the sources report beside what is registered; and how to read Caravan's marks.
/// </summary>
public sealed class AboutModel(MechanismQueries mechanism, IndicatorQueries indicators, CitationQueries citations)
    : PageModel
{
    public List<MemberState> States { get; private set; } = [];
    public IReadOnlyDictionary<string, IReadOnlyList<CitedSource>> StateSources { get; private set; } =
        new Dictionary<string, IReadOnlyList<CitedSource>>();
    public List<Body> Bodies { get; private set; } = [];
    public List<Meeting> Summits { get; private set; } = [];
    public int Meetings { get; private set; }
    public List<(Body Body, int Count)> OtherMeetings { get; private set; } = [];
    public List<ReportedFigureCard> Figures { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        States = await mechanism.StatesAsync(ct);
        StateSources = await citations.ForAsync(SubjectTypes.MemberState, States.Select(s => s.Id), ct);
        Bodies = await mechanism.BodiesAsync(new BodyFilter(), ct);
        var meetings = await mechanism.MeetingsAsync(new MeetingFilter(), ct);
        Meetings = meetings.Count;
        Summits = meetings.Where(m => m.Body?.Kind == BodyKind.Summit).ToList();
        OtherMeetings = meetings.Where(m => m.Body is { Kind: not BodyKind.Summit }).GroupBy(m => m.BodyId)
            .Select(g => (g.First().Body!, g.Count())).ToList();
        // The figures Caravan can set beside its own registry: the reader sees how much of a reported total is
        // registered.
        var figures = (await indicators.ReportedFiguresAsync(ct)).Where(f => f.Registered is not null).ToList();
        var sources = await citations.ForAsync(SubjectTypes.ReportedFigure, figures.Select(f => f.Figure.Id), ct);
        Figures = figures.Select(f => new ReportedFigureCard(f, sources.GetValueOrDefault(f.Figure.Id) ?? [])).ToList();
    }
}
