using Microsoft.Extensions.Options;
using MlOps.Api.Auth;
using MlOps.Api.Clarifai;
using MlOps.Api.ClearMl;
using MlOps.Api.Comet;
using MlOps.Api.Hosting;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Api.ZenMl;
using MlOps.Data.Tenancy;
using Serilog;

if (AdminCommands.IsAdminCommand(args))
{
    return await AdminCommands.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
// Framework chatter is off by default (one request line each comes from request logging); configuration may override.
builder.Services.AddSerilog((services, logger) => logger
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
    .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
    .MinimumLevel.Override("System.Net.Http", Serilog.Events.LogEventLevel.Warning)
    .ReadFrom.Configuration(builder.Configuration)
    .ReadFrom.Services(services)
    .Enrich.FromLogContext()
    .WriteTo.Async(sink => sink.Console()));

builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize =
    builder.Configuration.GetValue<long?>($"{MlOpsOptions.Section}:Limits:MaxRequestBodyBytes") ?? new LimitOptions().MaxRequestBodyBytes);
builder.Services.AddOptions<MlOpsOptions>().BindConfiguration(MlOpsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddMlOpsDatabase(builder.Configuration);
builder.Services.AddMlOpsPlatform();
builder.Services.AddClearMl();
builder.Services.AddComet();
builder.Services.AddClarifai();
builder.Services.AddZenMl();
builder.Services.AddMlOpsHealthChecks();
builder.Services.AddWebUiCors(builder.Configuration);
builder.Services.AddMlOpsSwagger();

var app = builder.Build();
await StartupTasks.PrepareAsync(app, app.Lifetime.ApplicationStopping);

app.UseSerilogRequestLogging(options => options.GetLevel = RequestLogLevel.Of);
app.UseWebUi();
app.UseClearMlVersionedPaths();
app.UseNulGuard();
app.UseRouting();
app.UseRequestMetrics();
app.UseAuthentication();
app.UseAuthorization();
app.UseMlOpsSwagger();
app.MapOperations();
app.MapClearMl();
app.MapComet();
app.MapClarifai();
app.MapZenMl();
app.MapWebUi();

await app.RunAsync();
return 0;

public partial class Program;
