using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LeanMetricPoints : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_metric_points_metric_series_series_id",
                table: "metric_points");

            migrationBuilder.DropPrimaryKey(
                name: "pk_metric_points",
                table: "metric_points");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "metric_points",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .Annotation("Npgsql:IdentitySequenceOptions", "'', '1', '', '', 'False', '1000'")
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                .OldAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            // What the foreign key's cascade did: a deleted series (its experiment, project or workspace deleted) takes
            // its points along, once per statement.
            migrationBuilder.Sql("""
                CREATE FUNCTION delete_series_points() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM metric_points WHERE series_id IN (SELECT id FROM deleted_series);
                    RETURN NULL;
                END $$;
                CREATE TRIGGER metric_series_points_deleted AFTER DELETE ON metric_series
                    REFERENCING OLD TABLE AS deleted_series FOR EACH STATEMENT EXECUTE FUNCTION delete_series_points();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER metric_series_points_deleted ON metric_series; DROP FUNCTION delete_series_points();");

            migrationBuilder.AlterColumn<long>(
                name: "id",
                table: "metric_points",
                type: "bigint",
                nullable: false,
                oldClrType: typeof(long),
                oldType: "bigint")
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn)
                .OldAnnotation("Npgsql:IdentitySequenceOptions", "'', '1', '', '', 'False', '1000'")
                .OldAnnotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddPrimaryKey(
                name: "pk_metric_points",
                table: "metric_points",
                column: "id");

            migrationBuilder.AddForeignKey(
                name: "fk_metric_points_metric_series_series_id",
                table: "metric_points",
                column: "series_id",
                principalTable: "metric_series",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
