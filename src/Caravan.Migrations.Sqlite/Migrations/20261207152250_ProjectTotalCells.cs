using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
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
                    Key = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    CountryCode = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    DirectionId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Findings = table.Column<bool>(type: "INTEGER", nullable: false),
                    Umbrella = table.Column<bool>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    Epoch = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Amount = table.Column<decimal>(type: "TEXT", precision: 30, scale: 10, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectTotalCells", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "ProjectTotalsStamps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    RateDates = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    BuiltAt = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
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
