using System.Globalization;
using System.Xml.Schema;
using System.Xml;
using Caravan.Shared;
using Caravan.Features.Uploads;

namespace Caravan.Features.Projects;

/// <summary>
/// A problem with one activity: its identifier, where, which rule, a message key and a detail. An error (what
/// the 2.03 schema requires) always keeps the activity out; a warning (the Standard's rules: percentages, date
/// order, codelists, identifier prefix) keeps it out unless the importer accepts warnings.
/// </summary>
public sealed record IatiProblem(string Activity, string Path, string Rule, Message Message, bool IsError = false)
{
    public MessageCode Code => Message.Code;
}

/// <summary>Why a whole file cannot be read: the reason as a message key and where.</summary>
public sealed class IatiFileException : Exception
{
    public IatiFileException(MessageCode code, string detail) : base($"{code}: {detail}") => Reason = new(code, detail);
    public IatiFileException(Message reason) : base(reason.ToString()) => Reason = reason;

    public MessageCode Code => Reason.Code;
    /// <summary>
    /// Why the file broke off, to be told in the reader's language; the detail is the parser's own words.
    /// </summary>
    public Message Reason { get; }
}

/// <summary>
/// Reads an IATI 2.03 activities file one activity at a time (constant memory whatever the file size),
/// with DTDs and external entities refused. A file that is not IATI 2.x, is truncated or badly encoded
/// stops with one <see cref="IatiFileException"/>; the activities read before it have been yielded already,
/// so a caller storing in batches keeps only whole batches of the good part.
/// </summary>
public static class IatiReader
{
    /// <summary>
    /// Loads the official XSD from a folder (iati-activities-schema.xsd and what it imports, local files only).
    /// </summary>
    public static XmlSchemaSet LoadSchema(string folder)
    {
        var set = new XmlSchemaSet { XmlResolver = new XmlUrlResolver() };
        using var reader = XmlReader.Create(Path.Combine(folder, "iati-activities-schema.xsd"),
            new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        set.Add(null, reader);
        set.Compile();
        return set;
    }

    public static XmlReaderSettings Settings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit, // no DTD: no XXE, no entity expansion
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        CloseInput = false,
    };

    /// <summary>
    /// The activities of the file, in order. With <paramref name="schemas"/> (the official 2.03 XSD, which
    /// Caravan does not carry: see Caravan:Projects:IatiSchemaFolder) the file is also validated against it
    /// as it is read, and each activity carries the schema's complaints about it.
    /// </summary>
    public static IEnumerable<IatiActivity> Read(Stream stream, XmlSchemaSet? schemas = null,
        UploadLimits? limits = null)
    {
        var settings = Settings;
        // The XML reader holds a tag or a run of text whole, and a level of nesting each: bounded on the bytes
        // before it parses them, so a file of one endless narrative or nesting is stopped at its first MiB.
        var guarded = new GuardedStream(stream, limits ?? new UploadLimits(), "", "", 0, xml: true);
        List<string>? schemaErrors = null;
        if (schemas is not null)
        {
            settings.ValidationType = ValidationType.Schema;
            settings.Schemas = schemas;
            settings.ValidationEventHandler += (_, e) => (schemaErrors ??= []).Add(e.Message);
        }
        XmlReader created;
        // The reader reads its first block as it is created: a limit may be passed there already.
        try { created = XmlReader.Create(guarded, settings); }
        catch (UploadRefusedException e) { throw Limit(e); }
        using var reader = created;
        var lineInfo = (IXmlLineInfo)reader;
        var version = "";
        List<string>? rootErrors = null;
        try
        {
            if (!reader.ReadToFollowing("iati-activities") && reader.NodeType != XmlNodeType.Element)
                throw new IatiFileException(IatiMessages.NotIati, "no <iati-activities> root");
            // The schema requires a version and takes any string: a 1.x file has another shape and is refused; any
            // other version is read as 2.03, and one not in the Version codelist is a rule finding on each activity.
            var stated = reader.GetAttribute("version");
            if (stated is null) throw new IatiFileException(IatiMessages.VersionMissing, "");
            if (stated.StartsWith("1.", StringComparison.Ordinal)) throw new IatiFileException(IatiMessages.Version, stated);
            version = stated;
            // What the XSD says of the root (its attributes) concerns every activity of the file.
            rootErrors = schemaErrors;
        }
        catch (XmlException e)
        {
            throw new IatiFileException(
                e.Message.Contains("DTD", StringComparison.Ordinal)
                    ? IatiMessages.Dtd
                    : IatiMessages.Malformed, e.Message);
        }
        catch (UploadRefusedException e) { throw Limit(e); }

        while (true)
        {
            IatiActivity activity;
            try
            {
                // After an activity is read the reader already stands on the next node, which may be the next activity.
                if (!(reader.NodeType == XmlNodeType.Element && reader.LocalName == "iati-activity")
                    && !reader.ReadToFollowing("iati-activity")) yield break;
                schemaErrors = null;
                activity = new ActivityReader(reader, schemas is not null).Read(lineInfo.LineNumber, version);
            }
            catch (XmlException e) { throw new IatiFileException(IatiMessages.Malformed, e.Message); }
            catch (UploadRefusedException e) { throw Limit(e); }
            catch (System.Text.DecoderFallbackException e)
            {
                throw new IatiFileException(IatiMessages.Encoding, e.Message);
            }
            activity.SchemaErrors = rootErrors is null ? schemaErrors : [.. rootErrors, .. schemaErrors ?? []];
            yield return activity;
        }
    }

    /// <summary>A tag, text or nesting over the limits, told by its line (the guard's place and limit).</summary>
    private static IatiFileException Limit(UploadRefusedException e) => new(new Message(
        e.Refusal.Code == UploadLimitMessages.Depth ? IatiMessages.Depth : IatiMessages.Token,
        e.Refusal.Args[2], e.Refusal.Args[3]));

    /// <summary>
    /// Maps one &lt;iati-activity&gt; straight from the reader, without building a tree: each element is read
    /// by the handler of its parent and consumed whole (unknown ones are skipped).
    /// </summary>
    private sealed class ActivityReader(XmlReader r, bool validating)
    {
        private readonly IXmlLineInfo _lines = (IXmlLineInfo)r;
        private string _language = "en";
        private string? _currency;
        private List<IatiUnreadable>? _unreadable;
        // The repeated element being read (transaction, budget, ...) and its number, to place an unreadable value.
        private string? _in;
        private int _inNumber;

        public IatiActivity Read(int line, string version)
        {
            _language = r.GetAttribute("xml:lang") ?? "en";
            _currency = Attr("default-currency");
            var hierarchy = Attr("hierarchy");
            if (hierarchy is not null && !IatiValues.TryInteger(hierarchy, out _))
                Unread("hierarchy", IatiValueKind.Integer, hierarchy, _lines.LineNumber);
            var flag = r.GetAttribute("humanitarian");
            var humanitarian = flag is { Length: > 0 } ? flag : null;
            Boolean(flag, "humanitarian");
            DateTimeOffset? updated = null;
            if (r.GetAttribute("last-updated-datetime") is { } stamp)
            {
                if (IatiValues.TryDateTime(stamp, out var u)) updated = u;
                else Unread("last-updated-datetime", IatiValueKind.DateTime, stamp, _lines.LineNumber);
            }
            string? identifier = null, status = null, scope = null, collaboration = null, flow = null, finance = null,
                tied = null;
            IatiOrg? reporting = null;
            List<IatiNarrative>? titles = null;
            var descriptions = new List<IatiDescription>();
            var participating = new List<IatiOrg>();
            var dates = new List<IatiActivityDate>();
            var countries = new List<IatiShare>();
            var regions = new List<IatiShare>();
            var locations = new List<IatiLocation>();
            var sectors = new List<IatiShare>();
            var aidTypes = new List<IatiCode>();
            var budgets = new List<IatiBudget>();
            var planned = new List<IatiPlannedDisbursement>();
            var transactions = new List<IatiTransaction>();
            var documents = new List<IatiDocumentLink>();
            var related = new List<IatiRelatedActivity>();
            var results = new List<IatiResult>();
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "iati-identifier": var id = TextContent().Trim(); identifier ??= id; break;
                    case "reporting-org": var org = Org(); reporting ??= org; break;
                    case "title": var t = Narratives(); titles ??= t; break;
                    case "description": var type = Attr("type"); descriptions.Add(
                        new IatiDescription(type, Narratives())); break;
                    case "participating-org": participating.Add(Org()); break;
                    case "activity-status": var statusCode = Code(); status ??= statusCode; break;
                    case "activity-date":
                        var dateType = Attr("type");
                        var on = Date(r.GetAttribute("iso-date"), "iso-date");
                        var narratives = Narratives();
                        if (dateType is not null
                            && on is { } d) dates.Add(new IatiActivityDate(dateType, d, NullIfEmpty(narratives)));
                        break;
                    case "activity-scope": var scopeCode = Code(); scope ??= scopeCode; break;
                    case "recipient-country": countries.Add(Share(null)); break;
                    case "recipient-region": regions.Add(Share("1")); break;
                    case "location": locations.Add(Location()); break;
                    case "sector": sectors.Add(Share("1")); break;
                    case "collaboration-type": var collaborationCode = Code(); collaboration ??= collaborationCode; break;
                    case "default-flow-type": var flowCode = Code(); flow ??= flowCode; break;
                    case "default-finance-type": var financeCode = Code(); finance ??= financeCode; break;
                    case "default-aid-type": var aid = new IatiCode(r.GetAttribute("code") ?? "",
                        Attr("vocabulary")); Skip(); aidTypes.Add(aid); break;
                    case "default-tied-status": var tiedCode = Code(); tied ??= tiedCode; break;
                    case "budget": Within("budget", budgets.Count); budgets.Add(Budget()); break;
                    case "planned-disbursement": Within("planned-disbursement", planned.Count);
                        planned.Add(PlannedDisbursement()); break;
                    case "transaction": Within("transaction", transactions.Count);
                        transactions.Add(Transaction()); break;
                    case "document-link": documents.Add(DocumentLink()); break;
                    case "related-activity": var rel = new IatiRelatedActivity(r.GetAttribute("ref") ?? "",
                        r.GetAttribute("type") ?? ""); Skip(); related.Add(rel); break;
                    case "result": Within("result", results.Count); results.Add(Result()); break;
                    default: Skip(); break;
                }
                _in = null;
            });
            return new IatiActivity
            {
                Identifier = identifier ?? "", ReportingOrg = reporting, DefaultLanguage = _language,
                DefaultCurrency = _currency,
                Hierarchy = hierarchy, Humanitarian = humanitarian, LastUpdated = updated, Titles = titles ?? [],
                Descriptions = descriptions,
                ParticipatingOrgs = participating, Status = status, ActivityDates = dates, Scope = scope,
                RecipientCountries = countries,
                RecipientRegions = regions, Locations = locations, Sectors = sectors, CollaborationType = collaboration,
                DefaultFlowType = flow,
                DefaultFinanceType = finance, DefaultAidTypes = aidTypes, DefaultTiedStatus = tied, Budgets = budgets,
                PlannedDisbursements = planned,
                Transactions = transactions, DocumentLinks = documents, RelatedActivities = related, Results = results,
                Line = line, Unreadable = _unreadable, FileVersion = version,
            };
        }

        /// <summary>
        /// Calls <paramref name="child"/> on each child element (it must consume it whole), then steps past the end
        /// tag.
        /// </summary>
        private void Children(Action child)
        {
            if (r.IsEmptyElement) { r.Read(); return; }
            var depth = r.Depth;
            r.Read();
            while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
            {
                if (r.NodeType == XmlNodeType.Element) child();
                else r.Read();
            }
            r.Read();
        }

        /// <summary>
        /// Consumes the current element. A validating XmlReader's Skip() also skips validating what it passes over, so
        /// with the XSD the element is read through instead: the elements Caravan does not model are validated too.
        /// </summary>
        private void Skip()
        {
            if (!validating) { r.Skip(); return; }
            if (r.IsEmptyElement) { r.Read(); return; }
            var depth = r.Depth;
            while (r.Read() && !(r.NodeType == XmlNodeType.EndElement && r.Depth == depth)) { }
            r.Read();
        }

        private void Within(string element, int before)
        {
            _in = element;
            _inNumber = before + 1;
        }

        /// <summary>
        /// Notes a value that is there but not of its schema type; the path is only built then (not on the hot path).
        /// </summary>
        private void Unread(string path, IatiValueKind kind, string text, int line)
            => (_unreadable ??= []).Add(new IatiUnreadable(_in is null ? path : $"{_in}[{_inNumber}]/{path}", kind,
                text, line));

        private static string At(string element, string attribute)
            => attribute.Length == 0 ? element : $"{element}/@{attribute}";

        /// <summary>An xs:date attribute of the current element (the path names the element and attribute).</summary>
        private DateOnly? Date(string? value, string attribute)
        {
            if (value is null) return null;
            if (IatiValues.TryDate(value, out var d)) return d;
            Unread(At(r.LocalName, attribute), IatiValueKind.Date, value, _lines.LineNumber);
            return null;
        }

        /// <summary>An xs:decimal: an attribute of the current element, or the text of <paramref name="element"/>.</summary>
        private decimal? Decimal(string? value, string element, string attribute, int line)
        {
            if (value is null) return null;
            if (IatiValues.TryDecimal(value, out var d)) return d;
            Unread(At(element, attribute), IatiValueKind.Decimal, value, line);
            return null;
        }

        private bool? Boolean(string? value, string attribute)
        {
            if (value is null) return null;
            if (IatiValues.TryBoolean(value, out var b)) return b;
            Unread(At(r.LocalName, attribute), IatiValueKind.Boolean, value, _lines.LineNumber);
            return null;
        }

        private int? Integer(string? value, string attribute)
        {
            if (value is null) return null;
            if (IatiValues.TryInteger(value, out var n) && n is >= int.MinValue and <= int.MaxValue) return (int)n;
            Unread(At(r.LocalName, attribute), IatiValueKind.Integer, value, _lines.LineNumber);
            return null;
        }

        /// <summary>
        /// The element's text (its descendants' text, as XElement.Value gives it), consuming the element.
        /// </summary>
        private string TextContent()
        {
            if (r.IsEmptyElement) { r.Read(); return ""; }
            var depth = r.Depth;
            string? first = null;
            System.Text.StringBuilder? more = null;
            r.Read();
            while (!(r.NodeType == XmlNodeType.EndElement && r.Depth == depth) && !r.EOF)
            {
                if (r.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace
                    or XmlNodeType.Whitespace)
                {
                    if (first is null) first = r.Value;
                    else (more ??= new System.Text.StringBuilder(first)).Append(r.Value);
                }
                r.Read();
            }
            r.Read();
            return more?.ToString() ?? first ?? "";
        }

        private string? Attr(string name) => r.GetAttribute(name) is { Length: > 0 } v ? v : null;

        /// <summary>The @code of an element, consuming it.</summary>
        private string? Code()
        {
            var code = r.GetAttribute("code");
            Skip();
            return code;
        }

        private List<IatiNarrative> Narratives()
        {
            var list = new List<IatiNarrative>();
            Children(() =>
            {
                if (r.LocalName != "narrative") { Skip(); return; }
                var language = r.GetAttribute("xml:lang") ?? _language;
                list.Add(new IatiNarrative(language, TextContent().Trim()));
            });
            return list;
        }

        private IatiOrg Org()
        {
            var reference = Attr("ref");
            var type = Attr("type");
            var role = Attr("role");
            var activity = Attr("activity-id") ?? Attr("provider-activity-id") ?? Attr("receiver-activity-id");
            return new IatiOrg(reference, type, role, Narratives(), activity);
        }

        private IatiShare Share(string? defaultVocabulary)
        {
            var code = r.GetAttribute("code") ?? "";
            var vocabulary = Attr("vocabulary") ?? defaultVocabulary;
            var percentage = Decimal(r.GetAttribute("percentage"), r.LocalName, "percentage", _lines.LineNumber);
            return new IatiShare(code, vocabulary, percentage, NullIfEmpty(Narratives()));
        }

        private IatiValue? Value()
        {
            var currency = Attr("currency") ?? _currency;
            var valueDate = Date(r.GetAttribute("value-date"), "value-date");
            var line = _lines.LineNumber;
            // An empty <value/> is no amount (the rules say so); any other text must be an xs:decimal.
            var text = TextContent();
            if (IatiValues.Collapse(text).IsEmpty) return null;
            return Decimal(text, "value", "", line) is { } amount ? new IatiValue(amount, currency, valueDate) : null;
        }

        private DateOnly? IsoDate()
        {
            var on = Date(r.GetAttribute("iso-date"), "iso-date");
            Skip();
            return on;
        }

        private IatiBudget Budget()
        {
            var type = Attr("type");
            var status = Attr("status");
            DateOnly? start = null, end = null;
            IatiValue? value = null;
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "period-start": var s = IsoDate(); start ??= s; break;
                    case "period-end": var e = IsoDate(); end ??= e; break;
                    case "value": var v = Value(); value ??= v; break;
                    default: Skip(); break;
                }
            });
            return new IatiBudget(type, status, start, end, value);
        }

        private IatiPlannedDisbursement PlannedDisbursement()
        {
            var type = Attr("type");
            DateOnly? start = null, end = null;
            IatiValue? value = null;
            IatiOrg? provider = null, receiver = null;
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "period-start": var s = IsoDate(); start ??= s; break;
                    case "period-end": var e = IsoDate(); end ??= e; break;
                    case "value": var v = Value(); value ??= v; break;
                    case "provider-org": var p = Org(); provider ??= p; break;
                    case "receiver-org": var o = Org(); receiver ??= o; break;
                    default: Skip(); break;
                }
            });
            return new IatiPlannedDisbursement(type, start, end, value, provider, receiver);
        }

        private IatiTransaction Transaction()
        {
            var reference = Attr("ref");
            string? type = null;
            DateOnly? date = null;
            IatiValue? value = null;
            List<IatiNarrative>? description = null;
            IatiOrg? provider = null, receiver = null;
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "transaction-type": var c = Code(); type ??= c; break;
                    case "transaction-date": var d = IsoDate(); date ??= d; break;
                    case "value": var v = Value(); value ??= v; break;
                    case "description": var n = Narratives(); description ??= n; break;
                    case "provider-org": var p = Org(); provider ??= p; break;
                    case "receiver-org": var o = Org(); receiver ??= o; break;
                    default: Skip(); break;
                }
            });
            return new IatiTransaction(type, date, value, description ?? [], provider, receiver, reference);
        }

        private IatiLocation Location()
        {
            var reference = Attr("ref");
            string? reach = null, exactness = null, locationClass = null, feature = null;
            var ids = new List<IatiCode>();
            var administrative = new List<IatiAdministrative>();
            List<IatiNarrative>? name = null, description = null, activityDescription = null;
            decimal? latitude = null, longitude = null;
            var hasPoint = false;
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "location-reach": var c = Code(); reach ??= c; break;
                    case "location-id": var id = new IatiCode(r.GetAttribute("code") ?? "",
                        Attr("vocabulary")); Skip(); ids.Add(id); break;
                    case "name": var n = Narratives(); name ??= n; break;
                    case "description": var d = Narratives(); description ??= d; break;
                    case "activity-description": var ad = Narratives(); activityDescription ??= ad; break;
                    case "administrative":
                        var admin = new IatiAdministrative(r.GetAttribute("vocabulary") ?? "",
                            r.GetAttribute("code") ?? "",
                            Integer(r.GetAttribute("level"), "level"));
                        Skip();
                        administrative.Add(admin);
                        break;
                    case "point" when !hasPoint:
                        hasPoint = true;
                        Children(() =>
                        {
                            if (r.LocalName != "pos") { Skip(); return; }
                            var pos = TextContent().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                            // pos is an xs:string in the schema: a pair that is not two numbers is kept as no point.
                            if (pos.Length == 2 && latitude is null
                                && IatiValues.TryDecimal(pos[0], out var lat) && IatiValues.TryDecimal(pos[1], out var lng))
                            {
                                latitude = lat; longitude = lng;
                            }
                        });
                        break;
                    case "exactness": var e = Code(); exactness ??= e; break;
                    case "location-class": var lc = Code(); locationClass ??= lc; break;
                    case "feature-designation": var f = Code(); feature ??= f; break;
                    default: Skip(); break;
                }
            });
            return new IatiLocation(reference, reach, ids, name ?? [], description ?? [], activityDescription ?? [],
                administrative, latitude, longitude, exactness, locationClass, feature);
        }

        private IatiDocumentLink DocumentLink()
        {
            var url = r.GetAttribute("url") ?? "";
            var format = Attr("format");
            List<IatiNarrative>? title = null, description = null;
            var categories = new List<string>();
            var languages = new List<string>();
            DateOnly? date = null;
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "title": var t = Narratives(); title ??= t; break;
                    case "description": var d = Narratives(); description ??= d; break;
                    case "category": categories.Add(Code() ?? ""); break;
                    case "language": languages.Add(Code() ?? ""); break;
                    case "document-date": var on = IsoDate(); date ??= on; break;
                    default: Skip(); break;
                }
            });
            return new IatiDocumentLink(url, format, title ?? [], description ?? [], categories, languages, date);
        }

        private IatiResult Result()
        {
            var type = Attr("type");
            var aggregation = Boolean(r.GetAttribute("aggregation-status"), "aggregation-status");
            List<IatiNarrative>? title = null, description = null;
            var indicators = new List<IatiIndicator>();
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "title": var t = Narratives(); title ??= t; break;
                    case "description": var d = Narratives(); description ??= d; break;
                    case "indicator": indicators.Add(Indicator()); break;
                    default: Skip(); break;
                }
            });
            return new IatiResult(type, aggregation, title ?? [], description ?? [], indicators);
        }

        private IatiIndicator Indicator()
        {
            var measure = r.GetAttribute("measure") ?? "";
            var ascending = Boolean(r.GetAttribute("ascending"), "ascending");
            var aggregation = Boolean(r.GetAttribute("aggregation-status"), "aggregation-status");
            List<IatiNarrative>? title = null, description = null;
            var baselines = new List<IatiBaseline>();
            var periods = new List<IatiPeriod>();
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "title": var t = Narratives(); title ??= t; break;
                    case "description": var d = Narratives(); description ??= d; break;
                    case "baseline":
                        var baseline = new IatiBaseline(Integer(r.GetAttribute("year"), "year"),
                            Date(r.GetAttribute("iso-date"), "iso-date"), Attr("value"));
                        Skip();
                        baselines.Add(baseline);
                        break;
                    case "period": periods.Add(Period()); break;
                    default: Skip(); break;
                }
            });
            return new IatiIndicator(measure, ascending, aggregation, title ?? [], description ?? [], baselines,
                periods);
        }

        private IatiPeriod Period()
        {
            DateOnly? start = null, end = null;
            var targets = new List<string>();
            var actuals = new List<string>();
            Children(() =>
            {
                switch (r.LocalName)
                {
                    case "period-start": var s = IsoDate(); start ??= s; break;
                    case "period-end": var e = IsoDate(); end ??= e; break;
                    case "target": targets.Add(r.GetAttribute("value") ?? ""); Skip(); break;
                    case "actual": actuals.Add(r.GetAttribute("value") ?? ""); Skip(); break;
                    default: Skip(); break;
                }
            });
            return new IatiPeriod(start, end, targets, actuals);
        }
    }

    private static List<T>? NullIfEmpty<T>(List<T> list) => list.Count == 0 ? null : list;
}
