using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MlflowSurface : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "properties",
                table: "registered_models",
                type: "text",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<List<string>>(
                name: "aliases",
                table: "registered_model_versions",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<DateTime>(
                name: "last_update",
                table: "registered_model_versions",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            migrationBuilder.AddColumn<string>(
                name: "properties",
                table: "registered_model_versions",
                type: "text",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.AddColumn<string>(
                name: "properties",
                table: "projects",
                type: "text",
                nullable: false,
                defaultValueSql: "'{}'");

            migrationBuilder.Sql("UPDATE registered_model_versions SET last_update = created_at");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "properties",
                table: "registered_models");

            migrationBuilder.DropColumn(
                name: "aliases",
                table: "registered_model_versions");

            migrationBuilder.DropColumn(
                name: "last_update",
                table: "registered_model_versions");

            migrationBuilder.DropColumn(
                name: "properties",
                table: "registered_model_versions");

            migrationBuilder.DropColumn(
                name: "properties",
                table: "projects");
        }
    }
}
