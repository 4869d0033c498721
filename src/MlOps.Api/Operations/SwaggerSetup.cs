namespace MlOps.Api.Operations;

/// <summary>Swagger UI at <c>/swagger</c>, the document at <c>/swagger/v1/swagger.json</c>, one tag per surface.</summary>
public static class SwaggerSetup
{
    public static IServiceCollection AddMlOpsSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc("v1", new Microsoft.OpenApi.OpenApiInfo
            {
                Title = "MlOps",
                Version = "v1",
                Description = "One server speaking the ClearML, Comet REST v2, ZenML and Clarifai wire protocols.",
            });
            options.CustomSchemaIds(type => type.FullName!.Replace("MlOps.Api.", "").Replace('+', '.'));
            options.OperationFilter<ClearMlEnvelopeSchema>();
            options.OperationFilter<RequestBodySchema>();
        });
        return services;
    }

    public static IApplicationBuilder UseMlOpsSwagger(this IApplicationBuilder app) =>
        app.UseSwagger().UseSwaggerUI(options => options.SwaggerEndpoint("/swagger/v1/swagger.json", "MlOps v1"));
}
