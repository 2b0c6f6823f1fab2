using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Caravan.Tests.Support;

namespace Caravan.Tests.Integration;

/// <summary>
/// The boundaries the browser actually receives, read over HTTP from the app at the address the three map pages
/// name: no feature or name for Taiwan (nor Hong Kong, Macao), China's geometry covering Taipei, each member
/// state's feature covering its capital, the disputed lines classed apart, a size bound for slow links; and the
/// world file itself not served. The pages say where the map is drawn and link to the table beside it.
/// </summary>
public abstract partial class MapBoundariesTests(CaravanApp app)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What a slow link is asked to fetch at most (the source world file is 756,420 bytes).</summary>
    private const int MaxBytes = 100_000;

    [GeneratedRegex("<div class=\"map\" id=\"(?<id>[^\"]+)\" data-map=\"[^\"]*\" data-world=\"(?<world>[^\"]+)\"[^>]*aria-describedby=\"(?<table>[^\"]+)\"")]
    private static partial Regex MapBox();

    [Theory]
    [InlineData("/projects/map", "project-map")]
    [InlineData("/dashboard", "dashboard-map")]
    [InlineData("/partnerships", "partnership-map")]
    public async Task Each_map_names_the_prepared_boundaries_and_their_source_and_points_to_its_table(string path, string id)
    {
        foreach (var (culture, source, noScript) in new[]
        {
            ("en", "Boundaries: Natural Earth 1:50m", "The map is drawn here by the page's script"),
            ("zh", "边界数据：Natural Earth", "地图由本页脚本在此绘制"),
            ("ru", "Границы: Natural Earth", "Карта рисуется здесь сценарием страницы"),
        })
        {
            var response = await app.Client().GetAsync($"{path}?culture={culture}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var raw = await response.Content.ReadAsStringAsync(Ct);
            var html = WebUtility.HtmlDecode(raw);
            var box = MapBox().Match(raw); // the attributes as served (the spec's quotes still encoded)
            Assert.True(box.Success, $"{path}: no map box");
            Assert.Equal(id, box.Groups["id"].Value);
            Assert.Equal("/lib/boundaries/cca-region-50m.json", box.Groups["world"].Value);
            // The table the map stands for is on the page, and the box (without script) says so and links to it.
            var table = box.Groups["table"].Value;
            Assert.Contains($"id=\"{table}\"", html);
            Assert.Contains(noScript, html);
            Assert.Contains($"href=\"#{table}\"", html);
            Assert.Contains(source, html);
            Assert.DoesNotContain("world-atlas/countries-50m", html);
        }
    }

    [Fact]
    public async Task The_served_boundaries_draw_taiwan_as_part_of_china_and_only_the_region()
    {
        var client = app.Client();
        // The source world file is not published at all: the browser gets only the prepared one.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/lib/world-atlas/countries-50m.json", Ct)).StatusCode);
        var response = await client.GetAsync("/lib/boundaries/cca-region-50m.json", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.InRange(bytes.Length, 1, MaxBytes);
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        foreach (var name in new[] { "Taiwan", "台湾", "臺灣", "Тайвань", "Hong Kong", "Macao", "\"name\"" })
            Assert.DoesNotContain(name, text, StringComparison.OrdinalIgnoreCase);

        var topology = new Topology(JsonDocument.Parse(bytes).RootElement);
        var states = topology.Features("states");
        Assert.Equal(["156", "398", "417", "762", "795", "860"], states.Keys.Order());
        // Taiwan (158), Hong Kong (344), Macao (446) have no feature of their own: they are inside China's (Macao is
        // too small at this scale to test a point).
        foreach (var (lon, lat, place) in new[] { (121.56, 25.04, "Taipei"), (120.68, 24.15, "Taichung"), (120.30, 22.62, "Kaohsiung"), (114.18, 22.37, "Sha Tin, Hong Kong"), (116.40, 39.90, "Beijing") })
            Assert.True(topology.Covers(states["156"], lon, lat), $"China's geometry does not cover {place}");
        foreach (var (id, lon, lat) in new[] { ("398", 71.43, 51.13), ("417", 74.59, 42.87), ("762", 68.79, 38.56), ("795", 58.38, 37.95), ("860", 69.24, 41.31) })
            Assert.True(topology.Covers(states[id], lon, lat), $"state {id} does not cover its capital");
        // The rest of the land is one unnamed area, which does not take Taiwan either.
        var land = Assert.Single(topology.Features("land").Values);
        Assert.False(topology.Covers(land, 121.56, 25.04));
        Assert.True(topology.Covers(land, 77.21, 28.61)); // Delhi: the other land is there

        // Boundaries in three classes; the McMahon Line (China–India, eastern sector) and Kashmir's lines are not
        // drawn as international borders.
        Assert.NotEmpty(topology.Lines("borders"));
        Assert.NotEmpty(topology.Lines("coast"));
        var undetermined = topology.Lines("undetermined");
        Assert.Contains(undetermined, l => l.Any(p => p.Lon is > 92 and < 97 && p.Lat is > 26.5 and < 29.5));
        Assert.Contains(undetermined, l => l.Any(p => p.Lon is > 73 and < 75 && p.Lat is > 33 and < 35));
        Assert.DoesNotContain(topology.Lines("borders"), l => l.Any(p => p.Lon is > 92.5 and < 96.5 && p.Lat is > 27.5 and < 29.2));

        // Trimmed to the region the maps show.
        var bbox = topology.Root.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.True(bbox[0] >= 30 && bbox[2] <= 150 && bbox[1] >= 0 && bbox[3] <= 66, string.Join(",", bbox));
    }

    /// <summary>A small TopoJSON reader (quantised, delta-encoded arcs), enough to test what the file draws.</summary>
    private sealed class Topology(JsonElement root)
    {
        public JsonElement Root => root;
        private readonly List<List<(double Lon, double Lat)>> _arcs = Decode(root);

        private static List<List<(double Lon, double Lat)>> Decode(JsonElement root)
        {
            var transform = root.GetProperty("transform");
            var scale = transform.GetProperty("scale").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var translate = transform.GetProperty("translate").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var arcs = new List<List<(double, double)>>();
            foreach (var arc in root.GetProperty("arcs").EnumerateArray())
            {
                long x = 0, y = 0;
                var points = new List<(double, double)>();
                foreach (var p in arc.EnumerateArray())
                {
                    x += p[0].GetInt64();
                    y += p[1].GetInt64();
                    points.Add((x * scale[0] + translate[0], y * scale[1] + translate[1]));
                }
                arcs.Add(points);
            }
            return arcs;
        }

        private List<(double Lon, double Lat)> Arcs(JsonElement indexes)
        {
            var points = new List<(double, double)>();
            foreach (var i in indexes.EnumerateArray().Select(v => v.GetInt32()))
            {
                var arc = i >= 0 ? _arcs[i] : Enumerable.Reverse(_arcs[~i]).ToList();
                points.AddRange(points.Count == 0 ? arc : arc.Skip(1));
            }
            return points;
        }

        /// <summary>The polygons (rings of points) of each geometry of a collection, by id ("" when it has none).</summary>
        public Dictionary<string, List<List<List<(double Lon, double Lat)>>>> Features(string name)
        {
            var features = new Dictionary<string, List<List<List<(double, double)>>>>();
            foreach (var g in root.GetProperty("objects").GetProperty(name).GetProperty("geometries").EnumerateArray())
            {
                var type = g.GetProperty("type").GetString();
                var polygons = type == "Polygon" ? [g.GetProperty("arcs")] : g.GetProperty("arcs").EnumerateArray().ToList();
                Assert.True(type is "Polygon" or "MultiPolygon", type);
                var id = g.TryGetProperty("id", out var v) ? v.ToString() : "";
                features.Add(id, [.. polygons.Select(p => p.EnumerateArray().Select(Arcs).ToList())]);
            }
            return features;
        }

        public List<List<(double Lon, double Lat)>> Lines(string name)
        {
            var o = root.GetProperty("objects").GetProperty(name);
            Assert.Equal("MultiLineString", o.GetProperty("type").GetString());
            return [.. o.GetProperty("arcs").EnumerateArray().Select(Arcs)];
        }

        /// <summary>Even–odd over every ring of a polygon (holes included); a point is covered by any polygon of the geometry.</summary>
        public bool Covers(List<List<List<(double Lon, double Lat)>>> polygons, double lon, double lat) =>
            polygons.Any(rings => rings.Count(ring => Crosses(ring, lon, lat)) % 2 == 1);

        private static bool Crosses(List<(double Lon, double Lat)> ring, double lon, double lat)
        {
            var inside = false;
            for (int i = 0, j = ring.Count - 1; i < ring.Count; j = i++)
            {
                var (xi, yi) = ring[i];
                var (xj, yj) = ring[j];
                if ((yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi) inside = !inside;
            }
            return inside;
        }
    }
}

public sealed class MapBoundariesTestsOnSqlite(SqliteApp app) : MapBoundariesTests(app), IClassFixture<SqliteApp>;

public sealed class MapBoundariesTestsOnPostgres(PostgresApp app) : MapBoundariesTests(app), IClassFixture<PostgresApp>;
