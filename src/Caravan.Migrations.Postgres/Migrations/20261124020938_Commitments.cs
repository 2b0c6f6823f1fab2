using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class Commitments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReportingPeriods",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Order = table.Column<int>(type: "integer", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    From = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    To = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    ClosesAtMeetingId = table.Column<string>(type: "text", nullable: true),
                    DueOn = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    Closed = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportingPeriods", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Commitments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Text = table.Column<string>(type: "text", nullable: false),
                    Translated = table.Column<string>(type: "text", nullable: false),
                    DocumentId = table.Column<string>(type: "character varying(100)", nullable: true),
                    ProvisionRef = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    MeetingId = table.Column<string>(type: "character varying(100)", nullable: true),
                    MeasureId = table.Column<string>(type: "text", nullable: true),
                    Parties = table.Column<string>(type: "text", nullable: false),
                    LeadBodies = table.Column<string>(type: "text", nullable: false),
                    SupportingBodies = table.Column<string>(type: "text", nullable: false),
                    DirectionId = table.Column<string>(type: "text", nullable: true),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Target = table.Column<string>(type: "text", nullable: true),
                    IndicatorId = table.Column<string>(type: "text", nullable: true),
                    Deadline = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    ActiveOnceInForceId = table.Column<string>(type: "text", nullable: true),
                    FirstPeriodId = table.Column<string>(type: "character varying(100)", nullable: false),
                    CarriedOverFromId = table.Column<string>(type: "text", nullable: true),
                    SupersededById = table.Column<string>(type: "text", nullable: true),
                    MergedIntoId = table.Column<string>(type: "text", nullable: true),
                    Cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    Combine = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    RubricMinus = table.Column<string>(type: "text", nullable: true),
                    RubricZero = table.Column<string>(type: "text", nullable: true),
                    RubricPlus = table.Column<string>(type: "text", nullable: true),
                    Note = table.Column<string>(type: "text", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Commitments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Commitments_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Commitments_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Commitments_ReportingPeriods_FirstPeriodId",
                        column: x => x.FirstPeriodId,
                        principalTable: "ReportingPeriods",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Assessments",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    CommitmentId = table.Column<string>(type: "character varying(100)", nullable: false),
                    StateId = table.Column<string>(type: "character varying(2)", nullable: false),
                    PeriodId = table.Column<string>(type: "character varying(100)", nullable: false),
                    Score = table.Column<int>(type: "integer", nullable: false),
                    Evidence = table.Column<string>(type: "text", nullable: false),
                    EvidenceUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    AssessedOn = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assessments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assessments_Commitments_CommitmentId",
                        column: x => x.CommitmentId,
                        principalTable: "Commitments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assessments_MemberStates_StateId",
                        column: x => x.StateId,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Assessments_ReportingPeriods_PeriodId",
                        column: x => x.PeriodId,
                        principalTable: "ReportingPeriods",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_CommitmentId_StateId_PeriodId",
                table: "Assessments",
                columns: new[] { "CommitmentId", "StateId", "PeriodId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_PeriodId",
                table: "Assessments",
                column: "PeriodId");

            migrationBuilder.CreateIndex(
                name: "IX_Assessments_StateId",
                table: "Assessments",
                column: "StateId");

            migrationBuilder.CreateIndex(
                name: "IX_Commitments_DirectionId",
                table: "Commitments",
                column: "DirectionId");

            migrationBuilder.CreateIndex(
                name: "IX_Commitments_DocumentId",
                table: "Commitments",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_Commitments_FirstPeriodId",
                table: "Commitments",
                column: "FirstPeriodId");

            migrationBuilder.CreateIndex(
                name: "IX_Commitments_MeetingId",
                table: "Commitments",
                column: "MeetingId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Assessments");

            migrationBuilder.DropTable(
                name: "Commitments");

            migrationBuilder.DropTable(
                name: "ReportingPeriods");
        }
    }
}
