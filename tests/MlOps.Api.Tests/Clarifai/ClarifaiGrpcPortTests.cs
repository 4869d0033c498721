using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Grpc.Net.Client;
using MlOps.Api.Clarifai.Grpc.Wire;
using MlOps.Api.Tests.Infrastructure;
using Code = MlOps.Api.Clarifai.Grpc.Wire.StatusCode;

namespace MlOps.Api.Tests.Clarifai;

/// <summary>The real server with <c>MlOps:Clarifai:GrpcUrls</c> set: gRPC on its own plaintext HTTP/2 port, REST as before.</summary>
public sealed class ClarifaiGrpcPortTests
{
    [Fact]
    public async Task A_configured_grpc_port_serves_clarifai_while_the_rest_port_keeps_serving_http1()
    {
        var grpcPort = ServerProcess.FreePort();
        await using var server = new ServerProcess("Sqlite", "", Path.Combine(Path.GetTempPath(), "mlops-grpc-" + Guid.NewGuid().ToString("N")),
            new Dictionary<string, string> { ["MlOps__Clarifai__GrpcUrls__0"] = $"http://127.0.0.1:{grpcPort}" });
        await server.StartAsync();

        using var http = new HttpClient { BaseAddress = server.BaseAddress, DefaultRequestVersion = HttpVersion.Version11 };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/inputs")
        {
            Content = new StringContent("""{"inputs": [{"id": "over-rest"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Key", MlOpsFactory.ApiKey);
        using var posted = await http.SendAsync(request);
        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version11), (posted.StatusCode, posted.Version));

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
        var grpc = new V2.V2Client(channel);
        var auth = new Metadata { { "authorization", "Key " + MlOpsFactory.ApiKey } };
        var listed = await grpc.ListInputsAsync(new ListInputsRequest { Ids = { "over-rest" } }, auth);
        Assert.Equal((Code.Success, "over-rest"), (listed.Status.Code, listed.Inputs.Single().Id));

        // A message that is not protobuf is bad input: Clarifai's status, not a gRPC failure.
        var raw = Marshallers.Create<byte[]>(bytes => bytes, bytes => bytes);
        var postInputs = new Method<byte[], byte[]>(MethodType.Unary, "clarifai.api.V2", "PostInputs", raw, raw);
        var answer = MultiInputResponse.Parser.ParseFrom(await channel.CreateCallInvoker().AsyncUnaryCall(postInputs, null, new CallOptions(auth), [0x12, 0xff, 0xff, 0x01]));
        Assert.Equal(Code.ConnBadRequestFormat, answer.Status.Code);
    }
}
