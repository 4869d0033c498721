using System.Runtime.CompilerServices;
using Google.Protobuf;
using Grpc.Core;
using MlOps.Api.Clarifai.Grpc.Wire;

namespace MlOps.Api.Clarifai.Grpc;

/// <summary>
/// Clarifai's <c>clarifai.api.V2</c> gRPC service: each method served runs the operation of the same name through
/// <see cref="ClarifaiGrpc"/>, the one REST runs too. Methods Clarifai has and this server does not answer UNIMPLEMENTED.
/// </summary>
public sealed class ClarifaiGrpcService : V2.V2Base
{
    public override Task<SingleConceptResponse> GetConcept(GetConceptRequest request, ServerCallContext context) => Run<SingleConceptResponse>(request, context);

    public override Task<MultiConceptResponse> ListConcepts(ListConceptsRequest request, ServerCallContext context) => Run<MultiConceptResponse>(request, context);

    public override Task<MultiConceptResponse> PostConcepts(PostConceptsRequest request, ServerCallContext context) => Run<MultiConceptResponse>(request, context);

    public override Task<MultiConceptResponse> PatchConcepts(PatchConceptsRequest request, ServerCallContext context) => Run<MultiConceptResponse>(request, context);

    public override Task<SingleAnnotationResponse> GetAnnotation(GetAnnotationRequest request, ServerCallContext context) => Run<SingleAnnotationResponse>(request, context);

    public override Task<MultiAnnotationResponse> ListAnnotations(ListAnnotationsRequest request, ServerCallContext context) => Run<MultiAnnotationResponse>(request, context);

    public override Task<MultiAnnotationResponse> PostAnnotations(PostAnnotationsRequest request, ServerCallContext context) => Run<MultiAnnotationResponse>(request, context);

    public override Task<MultiAnnotationResponse> PatchAnnotations(PatchAnnotationsRequest request, ServerCallContext context) => Run<MultiAnnotationResponse>(request, context);

    public override Task<BaseResponse> DeleteAnnotation(DeleteAnnotationRequest request, ServerCallContext context) => Run<BaseResponse>(request, context);

    public override Task<BaseResponse> DeleteAnnotations(DeleteAnnotationsRequest request, ServerCallContext context) => Run<BaseResponse>(request, context);

    public override Task<MultiWorkerResponse> ListAnnotationWorkers(ListAnnotationWorkersRequest request, ServerCallContext context) => Run<MultiWorkerResponse>(request, context);

    public override Task<SingleInputCountResponse> GetInputCount(GetInputCountRequest request, ServerCallContext context) => Run<SingleInputCountResponse>(request, context);

    public override Task<SingleInputResponse> GetInput(GetInputRequest request, ServerCallContext context) => Run<SingleInputResponse>(request, context);

    public override Task<MultiInputResponse> ListInputs(ListInputsRequest request, ServerCallContext context) => Run<MultiInputResponse>(request, context);

    public override Task<MultiInputResponse> PostInputs(PostInputsRequest request, ServerCallContext context) => Run<MultiInputResponse>(request, context);

    public override Task<BaseResponse> DeleteInput(DeleteInputRequest request, ServerCallContext context) => Run<BaseResponse>(request, context);

    public override Task<BaseResponse> DeleteInputs(DeleteInputsRequest request, ServerCallContext context) => Run<BaseResponse>(request, context);

    public override Task<SingleAppResponse> GetApp(GetAppRequest request, ServerCallContext context) => Run<SingleAppResponse>(request, context);

    public override Task<MultiAppResponse> ListApps(ListAppsRequest request, ServerCallContext context) => Run<MultiAppResponse>(request, context);

    public override Task<MultiAnnotationSearchMetricsResponse> PostAnnotationSearchMetrics(PostAnnotationSearchMetricsRequest request, ServerCallContext context) => Run<MultiAnnotationSearchMetricsResponse>(request, context);

    public override Task<MultiAnnotationSearchMetricsResponse> GetAnnotationSearchMetrics(GetAnnotationSearchMetricsRequest request, ServerCallContext context) => Run<MultiAnnotationSearchMetricsResponse>(request, context);

    public override Task<MultiAnnotationSearchMetricsResponse> ListAnnotationSearchMetrics(ListAnnotationSearchMetricsRequest request, ServerCallContext context) => Run<MultiAnnotationSearchMetricsResponse>(request, context);

    public override Task<BaseResponse> DeleteAnnotationSearchMetrics(DeleteAnnotationSearchMetricsRequest request, ServerCallContext context) => Run<BaseResponse>(request, context);

    public override Task<MultiAnnotationFilterResponse> ListAnnotationFilters(ListAnnotationFiltersRequest request, ServerCallContext context) => Run<MultiAnnotationFilterResponse>(request, context);

    public override Task<SingleAnnotationFilterResponse> GetAnnotationFilter(GetAnnotationFilterRequest request, ServerCallContext context) => Run<SingleAnnotationFilterResponse>(request, context);

    public override Task<MultiAnnotationFilterResponse> PostAnnotationFilters(PostAnnotationFiltersRequest request, ServerCallContext context) => Run<MultiAnnotationFilterResponse>(request, context);

    public override Task<MultiAnnotationFilterResponse> PatchAnnotationFilters(PatchAnnotationFiltersRequest request, ServerCallContext context) => Run<MultiAnnotationFilterResponse>(request, context);

    public override Task<BaseResponse> DeleteAnnotationFilters(DeleteAnnotationFiltersRequest request, ServerCallContext context) => Run<BaseResponse>(request, context);

    public override Task<SingleTaskCountResponse> GetTaskAnnotationCount(GetTaskCountRequest request, ServerCallContext context) => Run<SingleTaskCountResponse>(request, context);

    private static Task<T> Run<T>(IMessage request, ServerCallContext context, [CallerMemberName] string rpc = "") where T : IMessage<T>, new() =>
        ClarifaiGrpc.RunAsync<T>(rpc, request, context);
}
