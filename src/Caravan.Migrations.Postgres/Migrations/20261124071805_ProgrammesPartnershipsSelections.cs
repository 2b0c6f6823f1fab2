using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Caravan.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ProgrammesPartnershipsSelections : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Checks",
                table: "Indicators",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "SameMeasureAs",
                table: "Indicators",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Partnerships",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    StateA = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    StateB = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Name = table.Column<string>(type: "text", nullable: true),
                    PlaceA = table.Column<string>(type: "text", nullable: true),
                    LatitudeA = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: true),
                    LongitudeA = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: true),
                    PlaceB = table.Column<string>(type: "text", nullable: true),
                    LatitudeB = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: true),
                    LongitudeB = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: true),
                    Institution = table.Column<string>(type: "text", nullable: true),
                    PartnerInstitution = table.Column<string>(type: "text", nullable: true),
                    Terms = table.Column<string>(type: "text", nullable: true),
                    Agreement = table.Column<string>(type: "text", nullable: true),
                    DocumentId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    AgreedOn = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    StartedOn = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    EndedOn = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    SourceUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Note = table.Column<string>(type: "text", nullable: true),
                    Translated = table.Column<string>(type: "text", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Partnerships", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Partnerships_Documents_DocumentId",
                        column: x => x.DocumentId,
                        principalTable: "Documents",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Partnerships_MemberStates_StateA",
                        column: x => x.StateA,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Partnerships_MemberStates_StateB",
                        column: x => x.StateB,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Programmes",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Translated = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    Unit = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Pledged = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: false),
                    PledgedById = table.Column<string>(type: "character varying(2)", nullable: false),
                    MeetingId = table.Column<string>(type: "character varying(100)", nullable: true),
                    AnnouncedOn = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    PeriodFrom = table.Column<DateOnly>(type: "date", nullable: true),
                    PeriodTo = table.Column<DateOnly>(type: "date", nullable: true),
                    PeriodNote = table.Column<string>(type: "text", nullable: true),
                    BodyId = table.Column<string>(type: "character varying(100)", nullable: true),
                    MeasureId = table.Column<string>(type: "character varying(100)", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Programmes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Programmes_Bodies_BodyId",
                        column: x => x.BodyId,
                        principalTable: "Bodies",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Programmes_Measures_MeasureId",
                        column: x => x.MeasureId,
                        principalTable: "Measures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Programmes_Meetings_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meetings",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Programmes_MemberStates_PledgedById",
                        column: x => x.PledgedById,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SelectionCalls",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Title = table.Column<string>(type: "text", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: false),
                    Phase = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    NominationsFrom = table.Column<DateOnly>(type: "date", nullable: false),
                    NominationsTo = table.Column<DateOnly>(type: "date", nullable: false),
                    ScoringDeadline = table.Column<DateOnly>(type: "date", nullable: false),
                    Criteria = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionCalls", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ProgrammeEntries",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    ProgrammeId = table.Column<string>(type: "character varying(100)", nullable: false),
                    Kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    StateId = table.Column<string>(type: "character varying(2)", nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    Quantity = table.Column<decimal>(type: "numeric(20,6)", precision: 20, scale: 6, nullable: false),
                    Note = table.Column<string>(type: "text", nullable: true),
                    EvidenceUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Override = table.Column<bool>(type: "boolean", nullable: false),
                    OverrideReason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    RecordedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RecordedRole = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProgrammeEntries", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProgrammeEntries_MemberStates_StateId",
                        column: x => x.StateId,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ProgrammeEntries_Programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "Programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SelectionJurors",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CallId = table.Column<string>(type: "character varying(100)", nullable: false),
                    UserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    Name = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    StateId = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    AppointedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    AppointedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionJurors", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SelectionJurors_MemberStates_StateId",
                        column: x => x.StateId,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SelectionJurors_SelectionCalls_CallId",
                        column: x => x.CallId,
                        principalTable: "SelectionCalls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SelectionJurors_Users_UserId",
                        column: x => x.UserId,
                        principalTable: "Users",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SelectionNominations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(110)", maxLength: 110, nullable: false),
                    CallId = table.Column<string>(type: "character varying(100)", nullable: false),
                    StateId = table.Column<string>(type: "character varying(2)", nullable: false),
                    City = table.Column<string>(type: "text", nullable: false),
                    Statement = table.Column<string>(type: "text", nullable: false),
                    EvidenceUrl = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    SubmittedById = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    SubmittedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    SubmittedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionNominations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SelectionNominations_MemberStates_StateId",
                        column: x => x.StateId,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SelectionNominations_SelectionCalls_CallId",
                        column: x => x.CallId,
                        principalTable: "SelectionCalls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SelectionConflicts",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    JurorId = table.Column<string>(type: "character varying(32)", nullable: false),
                    StateId = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    Reason = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    DeclaredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionConflicts", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SelectionConflicts_MemberStates_StateId",
                        column: x => x.StateId,
                        principalTable: "MemberStates",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SelectionConflicts_SelectionJurors_JurorId",
                        column: x => x.JurorId,
                        principalTable: "SelectionJurors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SelectionDecisions",
                columns: table => new
                {
                    CallId = table.Column<string>(type: "character varying(100)", nullable: false),
                    NominationId = table.Column<string>(type: "character varying(110)", nullable: false),
                    DecidedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Rationale = table.Column<string>(type: "text", nullable: false),
                    DecidedBy = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: false),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    PublishedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionDecisions", x => x.CallId);
                    table.ForeignKey(
                        name: "FK_SelectionDecisions_SelectionCalls_CallId",
                        column: x => x.CallId,
                        principalTable: "SelectionCalls",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SelectionDecisions_SelectionNominations_NominationId",
                        column: x => x.NominationId,
                        principalTable: "SelectionNominations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "SelectionScores",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    JurorId = table.Column<string>(type: "character varying(32)", nullable: false),
                    NominationId = table.Column<string>(type: "character varying(110)", nullable: false),
                    CriterionId = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Value = table.Column<decimal>(type: "numeric(5,2)", precision: 5, scale: 2, nullable: false),
                    Comment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    GivenAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SelectionScores", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SelectionScores_SelectionJurors_JurorId",
                        column: x => x.JurorId,
                        principalTable: "SelectionJurors",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SelectionScores_SelectionNominations_NominationId",
                        column: x => x.NominationId,
                        principalTable: "SelectionNominations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Indicators_SameMeasureAs",
                table: "Indicators",
                column: "SameMeasureAs");

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_DocumentId",
                table: "Partnerships",
                column: "DocumentId");

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_Kind_Status",
                table: "Partnerships",
                columns: new[] { "Kind", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_StateA",
                table: "Partnerships",
                column: "StateA");

            migrationBuilder.CreateIndex(
                name: "IX_Partnerships_StateB",
                table: "Partnerships",
                column: "StateB");

            migrationBuilder.CreateIndex(
                name: "IX_ProgrammeEntries_ProgrammeId_StateId_Year",
                table: "ProgrammeEntries",
                columns: new[] { "ProgrammeId", "StateId", "Year" });

            migrationBuilder.CreateIndex(
                name: "IX_ProgrammeEntries_StateId",
                table: "ProgrammeEntries",
                column: "StateId");

            migrationBuilder.CreateIndex(
                name: "IX_Programmes_BodyId",
                table: "Programmes",
                column: "BodyId");

            migrationBuilder.CreateIndex(
                name: "IX_Programmes_MeasureId",
                table: "Programmes",
                column: "MeasureId");

            migrationBuilder.CreateIndex(
                name: "IX_Programmes_MeetingId",
                table: "Programmes",
                column: "MeetingId");

            migrationBuilder.CreateIndex(
                name: "IX_Programmes_PledgedById",
                table: "Programmes",
                column: "PledgedById");

            migrationBuilder.CreateIndex(
                name: "IX_SelectionConflicts_JurorId_StateId",
                table: "SelectionConflicts",
                columns: new[] { "JurorId", "StateId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SelectionConflicts_StateId",
                table: "SelectionConflicts",
                column: "StateId");

            migrationBuilder.CreateIndex(
                name: "IX_SelectionDecisions_NominationId",
                table: "SelectionDecisions",
                column: "NominationId");

            migrationBuilder.CreateIndex(
                name: "IX_SelectionJurors_CallId_UserId",
                table: "SelectionJurors",
                columns: new[] { "CallId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SelectionJurors_StateId",
                table: "SelectionJurors",
                column: "StateId");

            migrationBuilder.CreateIndex(
                name: "IX_SelectionJurors_UserId",
                table: "SelectionJurors",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_SelectionNominations_CallId_StateId",
                table: "SelectionNominations",
                columns: new[] { "CallId", "StateId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SelectionNominations_StateId",
                table: "SelectionNominations",
                column: "StateId");

            migrationBuilder.CreateIndex(
                name: "IX_SelectionScores_JurorId_NominationId_CriterionId",
                table: "SelectionScores",
                columns: new[] { "JurorId", "NominationId", "CriterionId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SelectionScores_NominationId",
                table: "SelectionScores",
                column: "NominationId");

            migrationBuilder.AddForeignKey(
                name: "FK_Indicators_Indicators_SameMeasureAs",
                table: "Indicators",
                column: "SameMeasureAs",
                principalTable: "Indicators",
                principalColumn: "Id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_Indicators_Indicators_SameMeasureAs",
                table: "Indicators");

            migrationBuilder.DropTable(
                name: "Partnerships");

            migrationBuilder.DropTable(
                name: "ProgrammeEntries");

            migrationBuilder.DropTable(
                name: "SelectionConflicts");

            migrationBuilder.DropTable(
                name: "SelectionDecisions");

            migrationBuilder.DropTable(
                name: "SelectionScores");

            migrationBuilder.DropTable(
                name: "Programmes");

            migrationBuilder.DropTable(
                name: "SelectionJurors");

            migrationBuilder.DropTable(
                name: "SelectionNominations");

            migrationBuilder.DropTable(
                name: "SelectionCalls");

            migrationBuilder.DropIndex(
                name: "IX_Indicators_SameMeasureAs",
                table: "Indicators");

            migrationBuilder.DropColumn(
                name: "Checks",
                table: "Indicators");

            migrationBuilder.DropColumn(
                name: "SameMeasureAs",
                table: "Indicators");
        }
    }
}
