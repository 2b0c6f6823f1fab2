using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    // Issue 12 in one step: proposals carry sources (submissions made before had none: "[]", which the JSON column
    // reads as an empty list), uploaded source files, commitments marked as Caravan's summary, seed retractions.
    public partial class SourcesSummariesRetractions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ProposedSources",
                table: "Submissions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublishedSources",
                table: "Submissions",
                type: "TEXT",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "PublishedOn",
                table: "Sources",
                type: "TEXT",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "TextIsSummary",
                table: "Commitments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "SeedRetractions",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    RecordId = table.Column<string>(type: "TEXT", maxLength: 360, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", nullable: false),
                    Translated = table.Column<string>(type: "TEXT", nullable: false),
                    Held = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeedRetractions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SourceFiles",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    FileName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    MediaType = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Size = table.Column<long>(type: "INTEGER", nullable: false),
                    Content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    AddedAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SourceFiles", x => x.Id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "SeedRetractions");

            migrationBuilder.DropTable(
                name: "SourceFiles");

            migrationBuilder.DropColumn(
                name: "ProposedSources",
                table: "Submissions");

            migrationBuilder.DropColumn(
                name: "PublishedSources",
                table: "Submissions");

            migrationBuilder.DropColumn(
                name: "PublishedOn",
                table: "Sources");

            migrationBuilder.DropColumn(
                name: "TextIsSummary",
                table: "Commitments");
        }
    }
}
