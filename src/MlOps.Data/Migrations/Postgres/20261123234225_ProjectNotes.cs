using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProjectNotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "notes",
                table: "projects",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "notes",
                table: "projects");
        }
    }
}
