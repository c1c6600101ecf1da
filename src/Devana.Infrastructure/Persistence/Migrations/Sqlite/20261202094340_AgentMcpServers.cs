using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Devana.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AgentMcpServers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "mcp_servers",
                table: "agents",
                type: "TEXT",
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "mcp_servers",
                table: "agents");
        }
    }
}
