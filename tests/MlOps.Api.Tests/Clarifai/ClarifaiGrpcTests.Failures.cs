using Grpc.Core;
using MlOps.Api.Clarifai.Grpc.Wire;
using MlOps.Api.Tests.Infrastructure;
using Code = MlOps.Api.Clarifai.Grpc.Wire.StatusCode;
using WireData = MlOps.Api.Clarifai.Grpc.Wire.Data;

namespace MlOps.Api.Tests.Clarifai;

public abstract partial class ClarifaiGrpcTests
{
    [Fact]
    public async Task Failures_travel_in_the_response_status_with_grpc_answering_ok()
    {
        var (grpc, _) = await TenantAsync();
        Failed((await ClarifaiGrpcClient.Create(fixture.Factory, null).ListInputsAsync(new ListInputsRequest())).Status, Code.ConnInvalidRequest);
        Failed((await ClarifaiGrpcClient.Create(fixture.Factory, "Bearer x").ListInputsAsync(new ListInputsRequest())).Status, Code.ConnInvalidRequest);
        Failed((await ClarifaiGrpcClient.Create(fixture.Factory, "Key not-a-key").ListInputsAsync(new ListInputsRequest())).Status, Code.ConnKeyNotFound);

        Ok(await grpc.PostInputsAsync(new PostInputsRequest { Inputs = { new Input { Id = "f1" } } }));
        Failed((await grpc.PostAnnotationsAsync(new PostAnnotationsRequest { Annotations = { new Annotation { InputId = "nowhere" } } })).Status, Code.ConnDoesNotExist);
        Failed((await grpc.PostAnnotationsAsync(new PostAnnotationsRequest())).Status, Code.ConnInvalidRequest);
        var badBox = new Region { RegionInfo = new RegionInfo { BoundingBox = new BoundingBox { TopRow = 0.9f, BottomRow = 0.1f } } };
        Failed((await grpc.PostAnnotationsAsync(new PostAnnotationsRequest { Annotations = { new Annotation { InputId = "f1", Data = new WireData { Regions = { badBox } } } } })).Status,
            Code.AnnotationInvalidArgument);
        Failed((await grpc.PostAnnotationsAsync(new PostAnnotationsRequest { Annotations = { new Annotation { InputId = "f1", Data = new WireData { Concepts = { Labeled("c", float.NaN) } } } } })).Status,
            Code.ConnInvalidRequest);
        Failed((await grpc.PatchAnnotationsAsync(new PatchAnnotationsRequest { Action = "replace", Annotations = { new Annotation { Id = "x" } } })).Status, Code.ConnInvalidRequest);
        Failed((await grpc.PatchAnnotationsAsync(new PatchAnnotationsRequest { Action = "merge", Annotations = { new Annotation { Id = "x" } } })).Status, Code.ConnDoesNotExist);
        Failed((await grpc.DeleteAnnotationsAsync(new DeleteAnnotationsRequest())).Status, Code.ConnInvalidRequest);
        Failed((await grpc.PostConceptsAsync(new PostConceptsRequest { Concepts = { new Concept { Id = "nul\0here" } } })).Status, Code.ConnInvalidRequest);
        Failed((await grpc.PostAnnotationSearchMetricsAsync(new PostAnnotationSearchMetricsRequest { Id = "e" })).Status, Code.ConnInvalidRequest);
        Failed((await grpc.GetConceptAsync(new GetConceptRequest { ConceptId = "unknown" })).Status, Code.ConnDoesNotExist);
    }

    [Fact]
    public async Task Methods_not_served_answer_unimplemented()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        var marshaller = Marshallers.Create<ListInputsRequest>(m => Google.Protobuf.MessageExtensions.ToByteArray(m), ListInputsRequest.Parser.ParseFrom);
        var postModels = new Method<ListInputsRequest, ListInputsRequest>(MethodType.Unary, "clarifai.api.V2", "PostModels", marshaller, marshaller);
        var call = ClarifaiGrpcClient.Channel(fixture.Factory, "Key " + keys.ApiKey).AsyncUnaryCall(postModels, null, new CallOptions(), new ListInputsRequest());
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await call);
        Assert.Equal(Grpc.Core.StatusCode.Unimplemented, refused.StatusCode);
    }

    [Fact]
    public async Task Another_workspaces_key_can_neither_read_nor_change_the_owners_objects_over_grpc()
    {
        var (owner, ownerRest) = await TenantAsync();
        Ok(await owner.PostInputsAsync(new PostInputsRequest { Inputs = { new Input { Id = "secret", Data = new WireData { Concepts = { Labeled("private") } } } } }));
        Ok(await owner.PostAnnotationsAsync(new PostAnnotationsRequest { Annotations = { new Annotation { Id = "mine", InputId = "secret", TaskId = "t" } } }));
        Ok(await owner.PostAnnotationFiltersAsync(new PostAnnotationFiltersRequest { AnnotationFilters = { new AnnotationFilter { Id = "flt", Search = new Search { Query = new Query() } } } }));
        var (stranger, _) = await TenantAsync();

        Failed((await stranger.GetInputAsync(new GetInputRequest { InputId = "secret" })).Status, Code.ConnDoesNotExist);
        Failed((await stranger.GetAnnotationAsync(new GetAnnotationRequest { InputId = "secret", AnnotationId = "mine" })).Status, Code.ConnDoesNotExist);
        Failed((await stranger.GetAnnotationFilterAsync(new GetAnnotationFilterRequest { AnnotationFilterId = "flt" })).Status, Code.ConnDoesNotExist);
        Failed((await stranger.GetConceptAsync(new GetConceptRequest { ConceptId = "private" })).Status, Code.ConnDoesNotExist);
        Assert.Empty(Ok(await stranger.ListAnnotationsAsync(new ListAnnotationsRequest { ListAllAnnotations = true })).Annotations);
        Assert.Empty(Ok(await stranger.ListInputsAsync(new ListInputsRequest { Ids = { "secret" } })).Inputs);
        Assert.Empty(Ok(await stranger.GetTaskAnnotationCountAsync(new GetTaskCountRequest { TaskId = "t" })).Counts);
        Failed((await stranger.PatchAnnotationsAsync(new PatchAnnotationsRequest { Action = "overwrite", Annotations = { new Annotation { Id = "mine", Data = new WireData() } } })).Status,
            Code.ConnDoesNotExist);
        Failed((await stranger.DeleteAnnotationAsync(new DeleteAnnotationRequest { InputId = "secret", AnnotationId = "mine" })).Status, Code.ConnDoesNotExist);
        Failed((await stranger.DeleteInputsAsync(new DeleteInputsRequest { Ids = { "secret" } })).Status, Code.ConnDoesNotExist);
        Failed((await stranger.DeleteAnnotationFiltersAsync(new DeleteAnnotationFiltersRequest { AnnotationFilterIds = { "flt" } })).Status, Code.ConnDoesNotExist);
        Ok(await stranger.DeleteAnnotationsAsync(new DeleteAnnotationsRequest { InputIds = { "secret" } }));

        Assert.Equal("mine", (await ownerRest.GetAsync("/inputs/secret/annotations/mine")).Ok().GetProperty("annotation").GetProperty("id").GetString());
        Assert.Equal("flt", Ok(await owner.GetAnnotationFilterAsync(new GetAnnotationFilterRequest { AnnotationFilterId = "flt" })).AnnotationFilter.Id);
    }
}
