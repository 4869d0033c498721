using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using MlOps.Api.Auth;
using MlOps.Api.Hosting;
using MlOps.Api.Platform;
using MlOps.Data.Tenancy;

namespace MlOps.Api.Clarifai.Grpc;

/// <summary>
/// Clarifai's gRPC transport, a thin adapter over the operations REST runs: the <c>authorization: Key ...</c> metadata
/// proves the caller (as the header does on REST), the request message becomes Clarifai's JSON form of it (what
/// Clarifai's own REST gateway reads), <c>user_app_id</c> names the app, and the operation's answer, success or
/// failure, is read back into the response message with its <c>status</c>; gRPC itself answers OK, as Clarifai does.
/// </summary>
public static class ClarifaiGrpc
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly Dictionary<string, ClarifaiOperation> ByRpc = ClarifaiApi.Operations.GroupBy(o => o.Rpc).ToDictionary(g => g.Key, g => g.First());
    private static readonly HashSet<string> FreeForm = ["metadata", "annotation_info"];

    /// <summary>The operation an RPC runs; the server does not start with a method it has none for.</summary>
    public static ClarifaiOperation Operation(string rpc) =>
        ByRpc.GetValueOrDefault(rpc) ?? throw new InvalidOperationException($"the gRPC method {rpc} has no Clarifai operation");

    /// <summary>Runs the operation an RPC names and answers its response message, success or failure.</summary>
    public static async Task<IMessage> RunAsync(string rpc, IMessage request, ServerCallContext context, MessageDescriptor response)
    {
        var http = context.GetHttpContext();
        JsonObject body;
        try
        {
            var caller = await CallerAsync(http);
            if (ClarifaiGrpcMethods.UnreadableBecause(request) is { } unreadable)
            {
                throw new ClarifaiException(ClarifaiStatus.BadRequestFormat, $"the request is not a valid {request.Descriptor.Name}: {unreadable.Message}");
            }
            var json = Request(request);
            var names = json["user_app_id"] as JsonObject;
            json.Remove("user_app_id");
            var app = await ClarifaiApi.ResolveAppAsync(http.RequestServices, caller,
                names is null ? null : ClarifaiJson.Text(names, "user_id"), names is null ? null : ClarifaiJson.Text(names, "app_id"), http.RequestAborted);
            var operation = Operation(rpc);
            var reply = await ConflictRetry.RunAsync(http,
                () => operation.Run(new ClarifaiCall(app, caller, (JsonObject)json.DeepClone(), http.RequestServices, http.RequestAborted)));
            body = ClarifaiApi.Body(reply.Code, reply.Payload, null);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var failure = ClarifaiDialect.Translate(http, error);
            body = ClarifaiApi.Body(failure.Code, [], failure.Message);
        }
        return Response(http, body, response);
    }

    /// <summary>The caller the <c>Key</c> credential proves, as the Clarifai policy decides on REST; else Clarifai's refusal.</summary>
    private static async Task<Identity> CallerAsync(HttpContext http)
    {
        var allowed = await http.RequestServices.GetRequiredService<IAuthorizationService>().AuthorizeAsync(http.User, AuthSchemes.ClarifaiPolicy);
        return allowed.Succeeded && http.Caller().Optional is { } caller ? caller : throw ClarifaiApi.Unauthorized(http);
    }

    /// <summary>The message in Clarifai's JSON form; every concept carries its value, as Clarifai's clients always send it.</summary>
    private static JsonObject Request(IMessage request)
    {
        var json = (JsonObject)JsonNode.Parse(Formatter.Format(request))!;
        ValueEveryConcept(json);
        return json;
    }

    /// <summary>An unset float is 0 on the wire, so a concept without a value has value 0, as on Clarifai's REST clients.</summary>
    private static void ValueEveryConcept(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o.Where(p => !FreeForm.Contains(p.Key)))
                {
                    if (key == "concepts" && value is JsonArray concepts)
                    {
                        foreach (var concept in concepts.OfType<JsonObject>().Where(c => c["value"] is null))
                        {
                            concept["value"] = 0.0;
                        }
                    }
                    ValueEveryConcept(value);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    ValueEveryConcept(item);
                }
                break;
        }
    }

    /// <summary>The answer read into the response message (fields it does not declare are left out).</summary>
    private static IMessage Response(HttpContext http, JsonObject body, MessageDescriptor response)
    {
        try
        {
            return Parser.Parse(body.ToJsonString(), response);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            var failure = ClarifaiDialect.Translate(http, error);
            return Parser.Parse(ClarifaiApi.Body(failure.Code, [], failure.Message).ToJsonString(), response);
        }
    }
}
