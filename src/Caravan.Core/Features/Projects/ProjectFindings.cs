using System.Text.Json;
using System.Text.Json.Serialization;
using Caravan.Shared;

namespace Caravan.Features.Projects;

/// <summary>
/// A rule finding kept with a stored project: where (the activity's line in its file, the path in the activity), the
/// rule, and the message as a key and its detail, to be shown in each reader's language.
/// </summary>
public sealed record ProjectFinding(int Line, string Path, string Rule, string Code, IReadOnlyList<string> Args)
{
    [JsonIgnore]
    public Message Message => new(new MessageCode(Code), [.. Args.Select(a => (MessageArg)new MessageArg.Text(a))]);
}

/// <summary>
/// A rule (and message) over a file or a publisher's projects: how often it was found, in how many activities, and up
/// to <see cref="ProjectFindings.Examples"/> examples — as the IATI Dashboard summarises a publisher's data.
/// </summary>
public sealed record FindingSummary(string Rule, string Code, bool IsError, int Count, int Activities,
    IReadOnlyList<FindingExample> Examples);

public sealed record FindingExample(string Activity, int Line, string Path,
    [property: JsonIgnore] Message Message)
{
    public string Code => Message.Code.Key;
    public IReadOnlyList<string> Args => [.. Message.Args.Select(a => a.Invariant)];
}

/// <summary>A project's findings as stored (JSON beside the activity), and summaries of many findings.</summary>
public static class ProjectFindings
{
    public const int Examples = 3;

    /// <summary>
    /// The rule findings (warnings) of an activity as its project keeps them: null when there are none. The message's
    /// arguments are the rules' own texts (codes, sums, dates), so their invariant form gives the message back.
    /// </summary>
    public static string? ToJson(IEnumerable<IatiProblem> warnings, int line)
    {
        var list = warnings.Where(w => !w.IsError)
            .Select(w => new ProjectFinding(line, w.Path, w.Rule, w.Message.Code.Key,
                [.. w.Message.Args.Select(a => a.Invariant)]))
            .ToList();
        return list.Count == 0 ? null : JsonSerializer.Serialize(list, JsonSerializerOptions.Web);
    }

    public static IReadOnlyList<ProjectFinding> FromJson(string? json) =>
        string.IsNullOrEmpty(json)
            ? []
            : JsonSerializer.Deserialize<List<ProjectFinding>>(json, JsonSerializerOptions.Web) ?? [];

    /// <summary>The rule findings Caravan's checks give an activity (its warnings), e.g. for a sheet's new record.</summary>
    public static List<IatiProblem> Of(IatiActivity activity) =>
        [.. IatiRules.Check(activity).Where(p => !p.IsError)];
}

/// <summary>
/// Counts findings by rule and message while they are read, keeping the first examples of each: memory bounded by the
/// number of distinct rules, whatever the number of findings.
/// </summary>
public sealed class FindingTally
{
    private readonly Dictionary<(string Rule, string Code, bool IsError), Entry> _entries = [];

    private sealed class Entry
    {
        public int Count;
        public int Activities;
        public string? LastActivity;
        public readonly List<FindingExample> Examples = [];
    }

    public void Add(string activity, int line, string path, string rule, Message message, bool isError)
    {
        var key = (rule, message.Code.Key, isError);
        if (!_entries.TryGetValue(key, out var entry)) _entries[key] = entry = new Entry();
        entry.Count++;
        // An activity's findings arrive together, so a change of activity is a new one.
        if (!string.Equals(entry.LastActivity, activity, StringComparison.Ordinal))
        {
            entry.Activities++;
            entry.LastActivity = activity;
        }
        if (entry.Examples.Count < ProjectFindings.Examples)
            entry.Examples.Add(new FindingExample(activity, line, path, message));
    }

    /// <summary>Errors first, then the most frequent rules.</summary>
    public List<FindingSummary> Summary() =>
    [
        .. _entries.OrderByDescending(e => e.Key.IsError).ThenByDescending(e => e.Value.Count)
            .ThenBy(e => e.Key.Rule, StringComparer.Ordinal).ThenBy(e => e.Key.Code, StringComparer.Ordinal)
            .Select(e => new FindingSummary(e.Key.Rule, e.Key.Code, e.Key.IsError, e.Value.Count, e.Value.Activities,
                e.Value.Examples)),
    ];
}
