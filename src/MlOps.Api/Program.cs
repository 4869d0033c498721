using MlOps.Api.Clarifai;
using MlOps.Api.ClearMl;
using MlOps.Api.Comet;
using MlOps.Api.Comet.Clientlib;
using MlOps.Api.Hosting;
using MlOps.Api.Mlflow;
using MlOps.Api.Operations;
using MlOps.Api.Platform;
using MlOps.Api.ZenMl;
using Serilog;

if (AdminCommands.IsAdminCommand(args))
{
    return await AdminCommands.RunAsync(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
var settings = builder.AddMlOpsOptions();
builder.Services.AddMlOpsLogging(builder.Configuration);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = settings.Limits.MaxRequestBodyBytes);
builder.WebHost.ListenForClarifaiGrpc(settings.Clarifai);
builder.Services.AddMlOpsDatabase(settings, builder.Configuration.GetConnectionString("MlOps"), builder.Configuration.GetConnectionString("MlOpsReadOnly"));
builder.Services.AddMlOpsPlatform();
builder.Services.AddClearMl();
builder.Services.AddComet();
builder.Services.AddClarifai();
builder.Services.AddZenMl();
builder.Services.AddMlflow();
builder.Services.AddMlOpsHealthChecks();
builder.Services.AddWebUiCors(settings.Cors);
builder.Services.AddMlOpsSwagger();

var app = builder.Build();
await StartupTasks.PrepareAsync(app, app.Lifetime.ApplicationStopping);

app.UseSerilogRequestLogging(options => options.GetLevel = RequestLogLevel.Of);
app.UseZenMlDashboard();
app.UseMlflowUi();
app.UseWebUi();
app.UseClearMlVersionedPaths();
app.UseCometClientlibRestPaths();
app.UseRequestDecompression();
app.UseNulGuard();
app.UseRouting();
app.UseRequestMetrics();
app.UseAuthentication();
app.UseAuthorization();
app.UseMlOpsSwagger();
app.MapOperations();
app.MapClearMl();
app.MapComet();
app.MapCometClientlib();
app.MapClarifai();
app.MapZenMl();
app.MapMlflow();
app.MapZenMlDashboard();
app.MapMlflowUi();
app.MapWebUi();

await app.RunAsync();
return 0;

public partial class Program;
