using Caravan.Features.Mechanism;
using Caravan.Shared;

namespace Caravan.Features.Documents;

/// <summary>A declaration, treaty, action plan, memorandum… signed or adopted by some of the member states.</summary>
public sealed class OutcomeDocument : IVersioned
{
    /// <summary>Optimistic concurrency: see <see cref="IVersioned"/>.</summary>
    public int Version { get; set; }
    public required string Id { get; set; }
    public DocumentKind Kind { get; set; }
    public DocumentScope Scope { get; set; }
    public string? MeetingId { get; set; }
    public Meeting? Meeting { get; set; }
    public PartialDate? SignedOn { get; set; }
    public LocalizedText? SignedAt { get; set; }
    public required LocalizedText Title { get; set; }
    /// <summary>Languages in which the title is Caravan's own translation, not a sourced title.</summary>
    public List<string> Translated { get; set; } = [];
    public LocalizedText? Summary { get; set; }
    public LocalizedText? Note { get; set; }
    public List<DocumentParty> Parties { get; set; } = [];

    // A treaty's entry-into-force clause (see Treaties.EntryIntoForce); Unknown where the sources do not give it.
    public Treaties.EntryIntoForceKind EntryIntoForce { get; set; }
    public int EntryIntoForceDays { get; set; }
    public int EntryIntoForceInstruments { get; set; }

    public Treaties.EntryIntoForceRule EntryIntoForceRule
        => new(EntryIntoForce, EntryIntoForceDays, EntryIntoForceInstruments);
}

/// <summary>A member state that is party to a document.</summary>
public sealed class DocumentParty
{
    public required string DocumentId { get; set; }
    public required string StateId { get; set; }
}

public enum DocumentKind
{
    Declaration,
    Treaty,
    ActionPlan,
    Mou,
    Agreement,
    JointStatement,
    ListOfOutcomes,
    Regulations,
    Initiative,
    Communique,
    Protocol,
    /// <summary>A document whose kind the sources do not give, or a group of documents of several kinds.</summary>
    Other,
}

public enum DocumentScope
{
    Multilateral,
    Bilateral,
}
