using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ExperimentsByLastUpdate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_experiments_workspace_id_project_id_last_update",
                table: "experiments",
                columns: new[] { "workspace_id", "project_id", "last_update" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_experiments_workspace_id_project_id_last_update",
                table: "experiments");
        }
    }
}
