using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MlOps.Api.Operations;

/// <summary>
/// The JSON body a handler reads itself (so the framework cannot see it), for the Swagger document only; with the
/// serializer options the surface reads it with (its property names), or the framework's when null.
/// </summary>
public sealed record RequestBodyDoc(Type Type, JsonSerializerOptions? Json);

public static class RequestBodyDocs
{
    /// <summary>Documents <typeparamref name="T"/> as the endpoint's JSON body without changing how requests are matched or bound.</summary>
    public static RouteHandlerBuilder Documents<T>(this RouteHandlerBuilder endpoint, JsonSerializerOptions? json = null) =>
        endpoint.Documents(typeof(T), json);

    public static RouteHandlerBuilder Documents(this RouteHandlerBuilder endpoint, Type body, JsonSerializerOptions? json = null) =>
        endpoint.WithMetadata(new RequestBodyDoc(body, json));
}

/// <summary>Swagger shows the request bodies that handlers read themselves (Comet's, ZenML's and Clarifai's JSON bodies).</summary>
public sealed class RequestBodySchema(IOptions<SwaggerGenOptions> swagger) : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().FirstOrDefault() is not { } body)
        {
            return;
        }
        var generator = body.Json is null
            ? context.SchemaGenerator
            : new SchemaGenerator(swagger.Value.SchemaGeneratorOptions, new JsonSerializerDataContractResolver(body.Json));
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, IOpenApiMediaType>
            {
                ["application/json"] = new OpenApiMediaType { Schema = generator.GenerateSchema(body.Type, context.SchemaRepository) },
            },
        };
    }
}
