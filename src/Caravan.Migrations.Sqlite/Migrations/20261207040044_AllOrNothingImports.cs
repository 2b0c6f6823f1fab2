using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AllOrNothingImports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Projects_IatiIdentifier",
                table: "Projects");

            migrationBuilder.AddColumn<long>(
                name: "Replaces",
                table: "Projects",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<bool>(
                name: "Staged",
                table: "Projects",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "HeartbeatAt",
                table: "ImportRuns",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "KeptPartial",
                table: "ImportRuns",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "Owner",
                table: "ImportRuns",
                type: "TEXT",
                maxLength: 300,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "ImportRuns",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "completed");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_IatiIdentifier_Replaces",
                table: "Projects",
                columns: new[] { "IatiIdentifier", "Replaces" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Staged",
                table: "Projects",
                column: "Replaces",
                filter: "\"Staged\"");

            migrationBuilder.CreateIndex(
                name: "IX_ImportRuns_Running",
                table: "ImportRuns",
                column: "Kind",
                unique: true,
                filter: "\"Status\" = 'running'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Projects_IatiIdentifier_Replaces",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_Projects_Staged",
                table: "Projects");

            migrationBuilder.DropIndex(
                name: "IX_ImportRuns_Running",
                table: "ImportRuns");

            migrationBuilder.DropColumn(
                name: "Replaces",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Staged",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "HeartbeatAt",
                table: "ImportRuns");

            migrationBuilder.DropColumn(
                name: "KeptPartial",
                table: "ImportRuns");

            migrationBuilder.DropColumn(
                name: "Owner",
                table: "ImportRuns");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "ImportRuns");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_IatiIdentifier",
                table: "Projects",
                column: "IatiIdentifier",
                unique: true);
        }
    }
}
