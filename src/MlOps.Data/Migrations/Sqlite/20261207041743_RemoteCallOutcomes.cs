using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MlOps.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RemoteCallOutcomes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "answered_at",
                table: "remote_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "ended_at",
                table: "remote_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "error_message",
                table: "remote_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "error_stack_trace",
                table: "remote_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "result",
                table: "remote_calls",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "started_at",
                table: "remote_calls",
                type: "TEXT",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "answered_at",
                table: "remote_calls");

            migrationBuilder.DropColumn(
                name: "ended_at",
                table: "remote_calls");

            migrationBuilder.DropColumn(
                name: "error_message",
                table: "remote_calls");

            migrationBuilder.DropColumn(
                name: "error_stack_trace",
                table: "remote_calls");

            migrationBuilder.DropColumn(
                name: "result",
                table: "remote_calls");

            migrationBuilder.DropColumn(
                name: "started_at",
                table: "remote_calls");
        }
    }
}
