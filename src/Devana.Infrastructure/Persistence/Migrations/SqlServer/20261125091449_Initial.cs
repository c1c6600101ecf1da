using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Devana.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "agents",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    owner_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: true),
                    instructions = table.Column<string>(type: "nvarchar(max)", nullable: true),
                    model = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    allowed_models = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    temperature = table.Column<double>(type: "float", nullable: true),
                    top_p = table.Column<double>(type: "float", nullable: true),
                    max_tokens = table.Column<int>(type: "int", nullable: true),
                    lang = table.Column<string>(type: "nvarchar(2)", maxLength: 2, nullable: true),
                    welcome_message = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    visibility = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    file_ids = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    metadata = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    deleted_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agents", x => new { x.workspace_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "Conversations",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    WorkspaceId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    OwnerId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    AgentId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    MessageCount = table.Column<int>(type: "int", nullable: false),
                    LastSequence = table.Column<int>(type: "int", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    DeletedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    Metadata = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Conversations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "quota_counters",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    level = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    subject_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    kind = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    window_start = table.Column<long>(type: "bigint", nullable: false),
                    window_end = table.Column<long>(type: "bigint", nullable: false),
                    used = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quota_counters", x => new { x.workspace_id, x.level, x.subject_id, x.kind, x.window_start });
                });

            migrationBuilder.CreateTable(
                name: "quotas",
                columns: table => new
                {
                    workspace_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    level = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    subject_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    key = table.Column<string>(type: "nvarchar(96)", maxLength: 96, nullable: false),
                    requests_per_minute = table.Column<long>(type: "bigint", nullable: false),
                    requests_per_day = table.Column<long>(type: "bigint", nullable: false),
                    tokens_per_day = table.Column<long>(type: "bigint", nullable: false),
                    tokens_per_month = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quotas", x => new { x.workspace_id, x.level, x.subject_id });
                });

            migrationBuilder.CreateTable(
                name: "usage_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    workspace_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    principal_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    agent_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    llm_id = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    conversation_id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    prompt_tokens = table.Column<long>(type: "bigint", nullable: false),
                    completion_tokens = table.Column<long>(type: "bigint", nullable: false),
                    latency_ms = table.Column<long>(type: "bigint", nullable: false),
                    outcome = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "Messages",
                columns: table => new
                {
                    Id = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ConversationId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Sequence = table.Column<int>(type: "int", nullable: false),
                    Role = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    Content = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    ChoiceIndex = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    ClientModel = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    FinishReason = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    PromptTokens = table.Column<int>(type: "int", nullable: true),
                    CompletionTokens = table.Column<int>(type: "int", nullable: true),
                    LatencyMs = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    FileIds = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Messages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Messages_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_agents_workspace_id_created_at_id",
                table: "agents",
                columns: new[] { "workspace_id", "created_at", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_WorkspaceId_AgentId_CreatedAt",
                table: "Conversations",
                columns: new[] { "WorkspaceId", "AgentId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_WorkspaceId_OwnerId_CreatedAt",
                table: "Conversations",
                columns: new[] { "WorkspaceId", "OwnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ConversationId_Sequence_ChoiceIndex",
                table: "Messages",
                columns: new[] { "ConversationId", "Sequence", "ChoiceIndex" });

            migrationBuilder.CreateIndex(
                name: "ix_quota_counters_window_end",
                table: "quota_counters",
                column: "window_end");

            migrationBuilder.CreateIndex(
                name: "ix_quotas_workspace_id_created_at_key",
                table: "quotas",
                columns: new[] { "workspace_id", "created_at", "key" });

            migrationBuilder.CreateIndex(
                name: "ix_usage_records_workspace_id_created_at",
                table: "usage_records",
                columns: new[] { "workspace_id", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agents");

            migrationBuilder.DropTable(
                name: "Messages");

            migrationBuilder.DropTable(
                name: "quota_counters");

            migrationBuilder.DropTable(
                name: "quotas");

            migrationBuilder.DropTable(
                name: "usage_records");

            migrationBuilder.DropTable(
                name: "Conversations");
        }
    }
}
