using System.Globalization;
using System.Text;
using System.Xml;

namespace Caravan.Features.Projects;

/// <summary>
/// Writes activities as IATI 2.03 XML, streaming, in the order the official schema's sequences require.
/// Narratives are written in every stored language; amounts exactly as stored.
/// </summary>
public sealed class IatiWriter : IDisposable
{
    private readonly XmlWriter _xml;

    public IatiWriter(Stream output, DateTimeOffset generated)
    {
        _xml = XmlWriter.Create(output,
            new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, CloseOutput = false });
        _xml.WriteStartDocument();
        _xml.WriteStartElement("iati-activities");
        _xml.WriteAttributeString("version", "2.03");
        _xml.WriteAttributeString("generated-datetime",
            generated.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
    }

    public void Write(IatiActivity a)
    {
        var x = _xml;
        x.WriteStartElement("iati-activity");
        x.WriteAttributeString("xml", "lang", null, a.DefaultLanguage);
        Attr("default-currency", a.DefaultCurrency);
        Attr("hierarchy", a.Hierarchy);
        Attr("humanitarian", a.Humanitarian);
        if (a.LastUpdated is { } updated) x.WriteAttributeString("last-updated-datetime",
            updated.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        x.WriteElementString("iati-identifier", a.Identifier);
        Org("reporting-org", a.ReportingOrg ?? new IatiOrg(null, null, null, []), a.DefaultLanguage);
        Narratives("title", a.Titles, a.DefaultLanguage);
        foreach (var d in a.Descriptions)
        {
            x.WriteStartElement("description");
            Attr("type", d.Type);
            WriteNarratives(d.Narratives, a.DefaultLanguage);
            x.WriteEndElement();
        }
        foreach (var o in a.ParticipatingOrgs) Org("participating-org", o, a.DefaultLanguage, "activity-id");
        Code("activity-status", a.Status);
        foreach (var d in a.ActivityDates)
        {
            x.WriteStartElement("activity-date");
            x.WriteAttributeString("iso-date", Iso(d.On));
            x.WriteAttributeString("type", d.Type);
            WriteNarratives(d.Narratives ?? [], a.DefaultLanguage);
            x.WriteEndElement();
        }
        Code("activity-scope", a.Scope);
        foreach (var c in a.RecipientCountries) Share("recipient-country", c, a.DefaultLanguage, vocabulary: false);
        foreach (var r in a.RecipientRegions) Share("recipient-region", r, a.DefaultLanguage, vocabulary: true);
        foreach (var l in a.Locations) Location(l, a.DefaultLanguage);
        foreach (var s in a.Sectors) Share("sector", s, a.DefaultLanguage, vocabulary: true);
        Code("collaboration-type", a.CollaborationType);
        Code("default-flow-type", a.DefaultFlowType);
        Code("default-finance-type", a.DefaultFinanceType);
        foreach (var t in a.DefaultAidTypes)
        {
            x.WriteStartElement("default-aid-type");
            x.WriteAttributeString("code", t.Code);
            Attr("vocabulary", t.Vocabulary);
            x.WriteEndElement();
        }
        Code("default-tied-status", a.DefaultTiedStatus);
        foreach (var b in a.Budgets)
        {
            if (b.Start is null || b.End is null || b.Value is null) continue; // the schema requires all three
            x.WriteStartElement("budget");
            Attr("type", b.Type);
            Attr("status", b.Status);
            DateElement("period-start", b.Start);
            DateElement("period-end", b.End);
            Value(b.Value);
            x.WriteEndElement();
        }
        foreach (var p in a.PlannedDisbursements)
        {
            if (p.Start is null || p.Value is null) continue;
            x.WriteStartElement("planned-disbursement");
            Attr("type", p.Type);
            DateElement("period-start", p.Start);
            DateElement("period-end", p.End);
            Value(p.Value);
            if (p.Provider is { } provider) Org("provider-org", provider, a.DefaultLanguage, "provider-activity-id");
            if (p.Receiver is { } receiver) Org("receiver-org", receiver, a.DefaultLanguage, "receiver-activity-id");
            x.WriteEndElement();
        }
        foreach (var t in a.Transactions)
        {
            if (t.Type is null || t.Date is null || t.Value is null) continue;
            x.WriteStartElement("transaction");
            Attr("ref", t.Ref);
            Code("transaction-type", t.Type);
            DateElement("transaction-date", t.Date);
            Value(t.Value);
            if (t.Description.Count > 0) Narratives("description", t.Description, a.DefaultLanguage);
            if (t.Provider is { } provider) Org("provider-org", provider, a.DefaultLanguage, "provider-activity-id");
            if (t.Receiver is { } receiver) Org("receiver-org", receiver, a.DefaultLanguage, "receiver-activity-id");
            x.WriteEndElement();
        }
        foreach (var d in a.DocumentLinks) DocumentLink(d, a.DefaultLanguage);
        foreach (var r in a.RelatedActivities)
        {
            x.WriteStartElement("related-activity");
            x.WriteAttributeString("ref", r.Ref);
            x.WriteAttributeString("type", r.Type);
            x.WriteEndElement();
        }
        foreach (var r in a.Results)
        {
            if (r.Indicators.Count == 0 || r.Title.Count == 0) continue; // the schema requires a title and an indicator
            x.WriteStartElement("result");
            Attr("type", r.Type);
            Bool("aggregation-status", r.AggregationStatus);
            Narratives("title", r.Title, a.DefaultLanguage);
            if (r.Description.Count > 0) Narratives("description", r.Description, a.DefaultLanguage);
            foreach (var i in r.Indicators)
            {
                x.WriteStartElement("indicator");
                x.WriteAttributeString("measure", i.Measure);
                Bool("ascending", i.Ascending);
                Bool("aggregation-status", i.AggregationStatus);
                Narratives("title", i.Title, a.DefaultLanguage);
                if (i.Description.Count > 0) Narratives("description", i.Description, a.DefaultLanguage);
                foreach (var b in i.Baselines)
                {
                    if (b.Year is null) continue;
                    x.WriteStartElement("baseline");
                    x.WriteAttributeString("year", b.Year.Value.ToString(CultureInfo.InvariantCulture));
                    if (b.Date is { } on) x.WriteAttributeString("iso-date", Iso(on));
                    Attr("value", b.Value);
                    x.WriteEndElement();
                }
                foreach (var p in i.Periods)
                {
                    if (p.Start is null || p.End is null) continue;
                    x.WriteStartElement("period");
                    DateElement("period-start", p.Start);
                    DateElement("period-end", p.End);
                    foreach (var t in p.Targets)
                    {
                        x.WriteStartElement("target"); Attr("value", t); x.WriteEndElement();
                    }
                    foreach (var t in p.Actuals)
                    {
                        x.WriteStartElement("actual"); Attr("value", t); x.WriteEndElement();
                    }
                    x.WriteEndElement();
                }
                x.WriteEndElement();
            }
            x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    private void Location(IatiLocation l, string language)
    {
        var x = _xml;
        x.WriteStartElement("location");
        Attr("ref", l.Ref);
        Code("location-reach", l.Reach);
        foreach (var id in l.Ids)
        {
            x.WriteStartElement("location-id");
            x.WriteAttributeString("vocabulary", id.Vocabulary ?? "");
            x.WriteAttributeString("code", id.Code);
            x.WriteEndElement();
        }
        if (l.Name.Count > 0) Narratives("name", l.Name, language);
        if (l.Description.Count > 0) Narratives("description", l.Description, language);
        if (l.ActivityDescription.Count > 0) Narratives("activity-description", l.ActivityDescription, language);
        foreach (var admin in l.Administrative)
        {
            x.WriteStartElement("administrative");
            x.WriteAttributeString("vocabulary", admin.Vocabulary);
            if (admin.Level is { } level) x.WriteAttributeString("level", level.ToString(CultureInfo.InvariantCulture));
            x.WriteAttributeString("code", admin.Code);
            x.WriteEndElement();
        }
        if (l.Latitude is { } lat && l.Longitude is { } lon)
        {
            x.WriteStartElement("point");
            x.WriteAttributeString("srsName", "http://www.opengis.net/def/crs/EPSG/0/4326");
            x.WriteElementString("pos",
                $"{lat.ToString(CultureInfo.InvariantCulture)} {lon.ToString(CultureInfo.InvariantCulture)}");
            x.WriteEndElement();
        }
        Code("exactness", l.Exactness);
        Code("location-class", l.Class);
        Code("feature-designation", l.FeatureDesignation);
        x.WriteEndElement();
    }

    private void DocumentLink(IatiDocumentLink d, string language)
    {
        var x = _xml;
        x.WriteStartElement("document-link");
        Attr("format", d.Format);
        x.WriteAttributeString("url", d.Url);
        Narratives("title", d.Title, language);
        if (d.Description.Count > 0) Narratives("description", d.Description, language);
        foreach (var c in d.Categories) Code("category", c);
        foreach (var c in d.Languages) Code("language", c);
        if (d.Date is { } on)
        {
            x.WriteStartElement("document-date"); x.WriteAttributeString("iso-date", Iso(on)); x.WriteEndElement();
        }
        x.WriteEndElement();
    }

    private void Share(string element, IatiShare s, string language, bool vocabulary)
    {
        _xml.WriteStartElement(element);
        _xml.WriteAttributeString("code", s.Code);
        if (vocabulary) Attr("vocabulary", s.Vocabulary);
        if (s.Percentage is { } p) _xml.WriteAttributeString("percentage", p.ToString(CultureInfo.InvariantCulture));
        WriteNarratives(s.Names ?? [], language);
        _xml.WriteEndElement();
    }

    private void Org(string element, IatiOrg o, string language, string? activityIdAttribute = null)
    {
        _xml.WriteStartElement(element);
        Attr("ref", o.Ref);
        Attr("type", o.Type);
        if (element == "participating-org") _xml.WriteAttributeString("role", o.Role ?? "");
        if (activityIdAttribute is not null) Attr(activityIdAttribute, o.ActivityId);
        WriteNarratives(o.Names, language);
        _xml.WriteEndElement();
    }

    private void Value(IatiValue v)
    {
        _xml.WriteStartElement("value");
        Attr("currency", v.Currency);
        if (v.ValueDate is { } on) _xml.WriteAttributeString("value-date", Iso(on));
        _xml.WriteString(v.Amount.ToString(CultureInfo.InvariantCulture));
        _xml.WriteEndElement();
    }

    private void Narratives(string element, List<IatiNarrative> narratives, string language)
    {
        _xml.WriteStartElement(element);
        WriteNarratives(narratives, language);
        _xml.WriteEndElement();
    }

    private void WriteNarratives(List<IatiNarrative> narratives, string language)
    {
        foreach (var n in narratives)
        {
            _xml.WriteStartElement("narrative");
            // The activity's language is implied; any other is stated, as the Standard asks.
            if (n.Language != language) _xml.WriteAttributeString("xml", "lang", null, n.Language);
            _xml.WriteString(n.Text);
            _xml.WriteEndElement();
        }
    }

    private void Code(string element, string? code)
    {
        if (code is null) return;
        _xml.WriteStartElement(element);
        _xml.WriteAttributeString("code", code);
        _xml.WriteEndElement();
    }

    private void DateElement(string element, DateOnly? on)
    {
        if (on is not { } d) return;
        _xml.WriteStartElement(element);
        _xml.WriteAttributeString("iso-date", Iso(d));
        _xml.WriteEndElement();
    }

    private void Attr(string name, string? value)
    {
        if (value is not null) _xml.WriteAttributeString(name, value);
    }

    private void Bool(string name, bool? value)
    {
        if (value is { } b) _xml.WriteAttributeString(name, b ? "1" : "0");
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _xml.WriteEndElement();
        _xml.WriteEndDocument();
        _xml.Flush();
        _xml.Dispose();
    }
}
