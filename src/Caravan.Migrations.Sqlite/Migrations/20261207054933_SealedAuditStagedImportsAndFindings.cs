using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class SealedAuditStagedImportsAndFindings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Projects_IatiIdentifier",
                table: "Projects");

            migrationBuilder.AddColumn<long>(
                name: "AuditHeadId",
                table: "Snapshots",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "AuditHeadSeal",
                table: "Snapshots",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "FindingCount",
                table: "Projects",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Findings",
                table: "Projects",
                type: "TEXT",
                nullable: true);

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
                // Runs recorded before runs had a status all finished: they were written only at their end.
                defaultValue: "completed");

            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 32,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AuditAnchors",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                    Seal = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditAnchors", x => x.Id);
                });

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
            migrationBuilder.DropTable(
                name: "AuditAnchors");

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
                name: "AuditHeadId",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "AuditHeadSeal",
                table: "Snapshots");

            migrationBuilder.DropColumn(
                name: "FindingCount",
                table: "Projects");

            migrationBuilder.DropColumn(
                name: "Findings",
                table: "Projects");

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

            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "AuditEntries");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_IatiIdentifier",
                table: "Projects",
                column: "IatiIdentifier",
                unique: true);
        }
    }
}
