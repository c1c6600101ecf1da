using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Devana.Infrastructure.Persistence.Migrations.Sqlite
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
                    workspace_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    owner_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    description = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    instructions = table.Column<string>(type: "TEXT", nullable: true),
                    model = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    allowed_models = table.Column<string>(type: "TEXT", nullable: false),
                    temperature = table.Column<double>(type: "REAL", nullable: true),
                    top_p = table.Column<double>(type: "REAL", nullable: true),
                    max_tokens = table.Column<int>(type: "INTEGER", nullable: true),
                    lang = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    welcome_message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    visibility = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    file_ids = table.Column<string>(type: "TEXT", nullable: false),
                    metadata = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    deleted_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_agents", x => new { x.workspace_id, x.id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_agents_workspace_id_created_at_id",
                table: "agents",
                columns: new[] { "workspace_id", "created_at", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "agents");
        }
    }
}
