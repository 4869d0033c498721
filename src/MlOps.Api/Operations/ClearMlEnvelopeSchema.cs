using Microsoft.OpenApi;
using MlOps.Api.ClearMl;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace MlOps.Api.Operations;

/// <summary>
/// Swagger shows ClearML's answers as clients receive them: every ClearML action answers the <c>{"meta", "data"}</c>
/// envelope, its result in <c>data</c>, and its failures in the same envelope with the result code as the status.
/// </summary>
public sealed class ClearMlEnvelopeSchema : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        if (!context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<ClearMlEndpointName>().Any())
        {
            return;
        }
        operation.Responses ??= new OpenApiResponses();
        var result = operation.Responses.TryGetValue("200", out var ok) && ok.Content?.TryGetValue("application/json", out var media) == true ? media.Schema : null;
        operation.Responses["200"] = Answer("the action's result in data", result ?? new OpenApiSchema { Type = JsonSchemaType.Object });
        operation.Responses["400"] = Answer("invalid request: meta.result_subcode says why", new OpenApiSchema { Type = JsonSchemaType.Object });
        operation.Responses["401"] = Answer("missing, invalid or expired credentials", new OpenApiSchema { Type = JsonSchemaType.Object });
    }

    private static OpenApiResponse Answer(string description, IOpenApiSchema data) => new()
    {
        Description = description,
        Content = new Dictionary<string, IOpenApiMediaType>
        {
            ["application/json"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new HashSet<string> { "meta", "data" },
                    Properties = new Dictionary<string, IOpenApiSchema> { ["meta"] = Meta, ["data"] = data },
                },
            },
        },
    };

    private static readonly OpenApiSchema Text = new() { Type = JsonSchemaType.String };
    private static readonly OpenApiSchema Number = new() { Type = JsonSchemaType.Integer };

    private static readonly OpenApiSchema Meta = new()
    {
        Type = JsonSchemaType.Object,
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["id"] = Text,
            ["trx"] = Text,
            ["endpoint"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema> { ["name"] = Text, ["requested_version"] = Text, ["actual_version"] = Text },
            },
            ["result_code"] = Number,
            ["result_subcode"] = Number,
            ["result_msg"] = Text,
            ["error_stack"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null },
            ["error_data"] = new OpenApiSchema { Type = JsonSchemaType.Object },
        },
    };
}
