using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Api.Mlflow;

/// <summary>
/// MLflow's JSON as its server writes it from protobuf: snake_case names, unset fields left out, int64 as numbers,
/// NaN and infinities as the strings <c>"NaN"</c> and <c>"Infinity"</c>.
/// </summary>
public static class MlflowJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
