using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ProjectTotalCells : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProjectTotalCells",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    CountryCode = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    DirectionId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Stage = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Findings = table.Column<bool>(type: "boolean", nullable: false),
                    Umbrella = table.Column<bool>(type: "boolean", nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    Epoch = table.Column<DateOnly>(type: "date", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(30,10)", precision: 30, scale: 10, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectTotalCells", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "ProjectTotalsStamps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    RateDates = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    BuiltAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectTotalsStamps", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProjectTotalCells_Type_Year",
                table: "ProjectTotalCells",
                columns: new[] { "Type", "Year" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProjectTotalCells");

            migrationBuilder.DropTable(
                name: "ProjectTotalsStamps");
        }
    }
}
