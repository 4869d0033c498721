using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ExperimentAssets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "experiment_assets",
                columns: table => new
                {
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    asset_id = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    workspace_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: true),
                    step = table.Column<long>(type: "INTEGER", nullable: true),
                    context = table.Column<string>(type: "TEXT", nullable: true),
                    size = table.Column<long>(type: "INTEGER", nullable: false),
                    file_path = table.Column<string>(type: "TEXT", nullable: true),
                    remote_link = table.Column<string>(type: "TEXT", nullable: true),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    tags = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_experiment_assets", x => new { x.experiment_id, x.asset_id });
                    table.ForeignKey(
                        name: "fk_experiment_assets_experiments_experiment_id",
                        column: x => x.experiment_id,
                        principalTable: "experiments",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "experiment_assets");
        }
    }
}
