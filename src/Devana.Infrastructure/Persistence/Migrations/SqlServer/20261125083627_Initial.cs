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
