using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MlOps.Api.Operations;

/// <summary>The JSON body a handler reads itself (so the framework cannot see it), for the Swagger document only.</summary>
public sealed record RequestBodyDoc(Type Type);

public static class RequestBodyDocs
{
    /// <summary>Documents <typeparamref name="T"/> as the endpoint's JSON body without changing how requests are matched or bound.</summary>
    public static RouteHandlerBuilder Documents<T>(this RouteHandlerBuilder endpoint) => endpoint.WithMetadata(new RequestBodyDoc(typeof(T)));
}

/// <summary>Swagger shows the request bodies that handlers read themselves (Comet's JSON bodies).</summary>
public sealed class RequestBodySchema : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().FirstOrDefault() is not { } body)
        {
            return;
        }
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = context.SchemaGenerator.GenerateSchema(body.Type, context.SchemaRepository) },
            },
        };
    }
}
