using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Projects : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ExchangeRates",
                columns: table => new
                {
                    From = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    To = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    Rate = table.Column<decimal>(type: "numeric(28,12)", precision: 28, scale: 12, nullable: false),
                    Source = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ExchangeRates", x => new { x.From, x.To, x.On });
                });

            migrationBuilder.CreateTable(
                name: "ImportRuns",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    FileName = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Bytes = table.Column<long>(type: "bigint", nullable: false),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    FinishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    By = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    Added = table.Column<int>(type: "integer", nullable: false),
                    Updated = table.Column<int>(type: "integer", nullable: false),
                    Unchanged = table.Column<int>(type: "integer", nullable: false),
                    Skipped = table.Column<int>(type: "integer", nullable: false),
                    AcceptedWarnings = table.Column<bool>(type: "boolean", nullable: false),
                    Stopped = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Report = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ImportRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Projects",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false),
                    IatiIdentifier = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ReportingOrgRef = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    Titles = table.Column<string>(type: "text", nullable: false),
                    SearchText = table.Column<string>(type: "text", nullable: false),
                    Status = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    Stage = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StageOverride = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    PlannedStart = table.Column<DateOnly>(type: "date", nullable: true),
                    ActualStart = table.Column<DateOnly>(type: "date", nullable: true),
                    PlannedEnd = table.Column<DateOnly>(type: "date", nullable: true),
                    ActualEnd = table.Column<DateOnly>(type: "date", nullable: true),
                    DatesEstimated = table.Column<bool>(type: "boolean", nullable: false),
                    AmountsEstimated = table.Column<bool>(type: "boolean", nullable: false),
                    DefaultCurrency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    DirectionId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ParentIdentifier = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    IsUmbrella = table.Column<bool>(type: "boolean", nullable: false),
                    Published = table.Column<bool>(type: "boolean", nullable: false),
                    TransactionCount = table.Column<int>(type: "integer", nullable: false),
                    Activity = table.Column<string>(type: "text", nullable: false),
                    ContentHash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Projects", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Projects_PriorityDirections_DirectionId",
                        column: x => x.DirectionId,
                        principalTable: "PriorityDirections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ProjectCommitments",
                columns: table => new
                {
                    ProjectId = table.Column<long>(type: "bigint", nullable: false),
                    CommitmentId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectCommitments", x => new { x.ProjectId, x.CommitmentId });
                    table.ForeignKey(
                        name: "FK_ProjectCommitments_Commitments_CommitmentId",
                        column: x => x.CommitmentId,
                        principalTable: "Commitments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProjectCommitments_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProjectCountries",
                columns: table => new
                {
                    ProjectId = table.Column<long>(type: "bigint", nullable: false),
                    CountryCode = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Percentage = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectCountries", x => new { x.ProjectId, x.CountryCode });
                    table.ForeignKey(
                        name: "FK_ProjectCountries_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ProjectTransactions",
                columns: table => new
                {
                    ProjectId = table.Column<long>(type: "bigint", nullable: false),
                    Seq = table.Column<int>(type: "integer", nullable: false),
                    Type = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Amount = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    ValueDate = table.Column<DateOnly>(type: "date", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProjectTransactions", x => new { x.ProjectId, x.Seq });
                    table.ForeignKey(
                        name: "FK_ProjectTransactions_Projects_ProjectId",
                        column: x => x.ProjectId,
                        principalTable: "Projects",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProjectCommitments_CommitmentId",
                table: "ProjectCommitments",
                column: "CommitmentId");

            migrationBuilder.CreateIndex(
                name: "IX_ProjectCountries_CountryCode_ProjectId",
                table: "ProjectCountries",
                columns: new[] { "CountryCode", "ProjectId" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_DirectionId",
                table: "Projects",
                column: "DirectionId");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_IatiIdentifier",
                table: "Projects",
                column: "IatiIdentifier",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Listing",
                table: "Projects",
                columns: new[] { "Published", "IatiIdentifier", "IsUmbrella", "DirectionId", "Status", "Stage", "StageOverride", "ActualStart", "PlannedStart", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Projects_ParentIdentifier",
                table: "Projects",
                column: "ParentIdentifier");

            migrationBuilder.CreateIndex(
                name: "IX_Projects_Published_Id",
                table: "Projects",
                columns: new[] { "Published", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_ProjectTransactions_Type_Year_Currency_ValueDate_ProjectId_~",
                table: "ProjectTransactions",
                columns: new[] { "Type", "Year", "Currency", "ValueDate", "ProjectId", "Amount" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ExchangeRates");

            migrationBuilder.DropTable(
                name: "ImportRuns");

            migrationBuilder.DropTable(
                name: "ProjectCommitments");

            migrationBuilder.DropTable(
                name: "ProjectCountries");

            migrationBuilder.DropTable(
                name: "ProjectTransactions");

            migrationBuilder.DropTable(
                name: "Projects");
        }
    }
}
