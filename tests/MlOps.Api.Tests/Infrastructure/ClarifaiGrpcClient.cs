using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using MlOps.Api.Clarifai.Grpc.Wire;

namespace MlOps.Api.Tests.Infrastructure;

/// <summary>
/// Clarifai's gRPC client (generated from the server's own protos) talking to the in-memory test server over
/// HTTP/2, sending the <c>authorization</c> metadata as Clarifai's clients do.
/// </summary>
public static class ClarifaiGrpcClient
{
    public static V2.V2Client Create(MlOpsFactory factory, string? authorization) =>
        new(Channel(factory, authorization));

    public static Grpc.Core.CallInvoker Channel(MlOpsFactory factory, string? authorization)
    {
        var handler = new ResponseVersionHandler { InnerHandler = factory.Server.CreateHandler() };
        var channel = GrpcChannel.ForAddress(factory.Server.BaseAddress, new GrpcChannelOptions { HttpHandler = handler });
        return authorization is null ? channel.CreateCallInvoker() : channel.Intercept(metadata =>
        {
            metadata.Add("authorization", authorization);
            return metadata;
        });
    }

    /// <summary>The test server answers in HTTP/1.1 terms; the gRPC client insists on the HTTP/2 it asked for.</summary>
    private sealed class ResponseVersionHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            response.Version = request.Version;
            return response;
        }
    }
}
