using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Devana.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QuotaHolds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quota_holds",
                columns: table => new
                {
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    instance_id = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    principal_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    agent_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    llm_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    conversation_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    message_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    end_user = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    prompt_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    completion_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    token_charges = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_quota_holds", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_quota_holds_expires_at",
                table: "quota_holds",
                column: "expires_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "quota_holds");
        }
    }
}
