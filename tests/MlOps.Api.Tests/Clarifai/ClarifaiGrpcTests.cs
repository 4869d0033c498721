using Google.Protobuf.WellKnownTypes;
using MlOps.Api.Clarifai.Grpc.Wire;
using MlOps.Api.Tests.Infrastructure;
using Code = MlOps.Api.Clarifai.Grpc.Wire.StatusCode;
using WireData = MlOps.Api.Clarifai.Grpc.Wire.Data;

namespace MlOps.Api.Tests.Clarifai;

/// <summary>
/// Clarifai's gRPC service driven by a client generated from the server's protos: every served RPC, on the same data
/// REST reads (each object written over gRPC is read back through REST), failures in each response's status.
/// </summary>
public abstract partial class ClarifaiGrpcTests(IServerFixture fixture)
{
    private static readonly UserAppIDSet DefaultApp = new() { UserId = "me", AppId = "default" };

    private async Task<(V2.V2Client Grpc, ClarifaiClient Http)> TenantAsync()
    {
        var keys = await fixture.Factory.CreateTenantAsync();
        return (ClarifaiGrpcClient.Create(fixture.Factory, "Key " + keys.ApiKey), new ClarifaiClient(fixture.Factory.CreateClient(), "Key " + keys.ApiKey));
    }

    private static T Ok<T>(T response) where T : Google.Protobuf.IMessage
    {
        var status = (Status)response.Descriptor.FindFieldByName("status").Accessor.GetValue(response);
        Assert.True(status.Code == Code.Success, $"expected SUCCESS, got {response}");
        Assert.False(string.IsNullOrEmpty(status.ReqId));
        return response;
    }

    private static void Failed(Status status, Code code)
    {
        Assert.True(status.Code == code, $"expected {code}, got {status}");
        Assert.False(string.IsNullOrEmpty(status.Description));
    }

    private static Concept Labeled(string id, float value = 1) => new() { Id = id, Value = value };

    [Fact]
    public async Task Inputs_and_concepts_posted_over_grpc_are_read_back_through_both_transports()
    {
        var (grpc, rest) = await TenantAsync();
        var posted = Ok(await grpc.PostInputsAsync(new PostInputsRequest
        {
            UserAppId = DefaultApp,
            Inputs =
            {
                new Input { Id = "g1", Data = new WireData { Image = new Image { Url = "https://example.com/g1.jpg" }, Concepts = { Labeled("cat") } } },
                new Input { Id = "g2", Data = new WireData { Text = new Text { Raw = "hello" }, Metadata = Struct.Parser.ParseJson("""{"source": "grpc"}""") } },
            },
        }));
        Assert.Equal(["g1", "g2"], posted.Inputs.Select(i => i.Id));
        Assert.Equal(Code.InputSuccess, posted.Inputs[0].Status.Code);

        var g1 = Ok(await grpc.GetInputAsync(new GetInputRequest { InputId = "g1" })).Input;
        Assert.Equal("https://example.com/g1.jpg", g1.Data.Image.Url);
        Assert.Equal("hello", (await rest.GetAsync("/inputs/g2")).Ok().GetProperty("input").GetProperty("data").GetProperty("text").GetProperty("raw").GetString());
        Assert.Equal("grpc", Ok(await grpc.GetInputAsync(new GetInputRequest { InputId = "g2" })).Input.Data.Metadata.Fields["source"].StringValue);
        Assert.Equal(["g2"], Ok(await grpc.ListInputsAsync(new ListInputsRequest { Ids = { "g2" } })).Inputs.Select(i => i.Id));
        Assert.Equal(2, Ok(await grpc.ListInputsAsync(new ListInputsRequest { PerPage = 10 })).Inputs.Count);
        Assert.Equal(2u, Ok(await grpc.GetInputCountAsync(new GetInputCountRequest())).Counts.Processed);
        var duplicate = await grpc.PostInputsAsync(new PostInputsRequest { Inputs = { new Input { Id = "g1" } } });
        Failed(duplicate.Status, Code.Failure);
        Assert.Equal(Code.DatabaseDuplicateKey, duplicate.Inputs[0].Status.Code);

        Ok(await grpc.PostConceptsAsync(new PostConceptsRequest { Concepts = { new Concept { Id = "dog", Name = "Dog" } } }));
        Assert.Equal("Dog", Ok(await grpc.GetConceptAsync(new GetConceptRequest { ConceptId = "dog" })).Concept.Name);
        Assert.Equal(["cat", "dog"], Ok(await grpc.ListConceptsAsync(new ListConceptsRequest())).Concepts.Select(c => c.Id));
        Ok(await grpc.PatchConceptsAsync(new PatchConceptsRequest { Action = "overwrite", Concepts = { new Concept { Id = "dog", Name = "Hound" } } }));
        Assert.Equal("Hound", (await rest.GetAsync("/concepts/dog")).Ok().GetProperty("concept").GetProperty("name").GetString());

        Ok(await grpc.DeleteInputAsync(new DeleteInputRequest { InputId = "g1" }));
        Ok(await grpc.DeleteInputsAsync(new DeleteInputsRequest { Ids = { "g2" } }));
        Assert.Equal(0, (await rest.GetAsync("/inputs")).Ok().GetProperty("inputs").GetArrayLength());
        Failed((await grpc.GetInputAsync(new GetInputRequest { InputId = "g1" })).Status, Code.ConnDoesNotExist);
    }

    [Fact]
    public async Task Annotations_are_posted_listed_patched_and_deleted_over_grpc_on_the_rows_rest_reads()
    {
        var (grpc, rest) = await TenantAsync();
        Ok(await grpc.PostInputsAsync(new PostInputsRequest { Inputs = { new Input { Id = "a1" }, new Input { Id = "a2" } } }));
        var region = new Region
        {
            Id = "r1",
            RegionInfo = new RegionInfo { BoundingBox = new BoundingBox { TopRow = 0.25f, LeftCol = 0, BottomRow = 0.5f, RightCol = 1 } },
            Data = new WireData { Concepts = { Labeled("car"), Labeled("water", 0) } },
        };
        var created = Ok(await grpc.PostAnnotationsAsync(new PostAnnotationsRequest
        {
            UserAppId = DefaultApp,
            Annotations =
            {
                new Annotation { Id = "boxes", InputId = "a1", TaskId = "t1", Data = new WireData { Regions = { region } } },
                new Annotation { Id = "tags", InputId = "a2", TaskId = "t1", Data = new WireData { Concepts = { Labeled("tree"), Labeled("sky") } } },
            },
        })).Annotations;
        Assert.Equal(["boxes", "tags"], created.Select(a => a.Id));
        Assert.Equal(0.5f, created[0].Data.Regions[0].RegionInfo.BoundingBox.BottomRow);
        Assert.Equal(0f, created[0].Data.Regions[0].Data.Concepts.Single(c => c.Id == "water").Value);

        var restRegion = (await rest.GetAsync("/inputs/a1/annotations/boxes")).Ok().GetProperty("annotation").GetProperty("data").GetProperty("regions")[0];
        Assert.Equal(0.25, restRegion.GetProperty("region_info").GetProperty("bounding_box").GetProperty("top_row").GetDouble());
        Assert.Equal("tags", Ok(await grpc.GetAnnotationAsync(new GetAnnotationRequest { InputId = "a2", AnnotationId = "tags" })).Annotation.Id);
        var listed = Ok(await grpc.ListAnnotationsAsync(new ListAnnotationsRequest { InputIds = { "a1", "a2" }, ListAllAnnotations = true })).Annotations;
        Assert.Equal(4, listed.Count); // two of ours and each input's input-level one
        Assert.Equal(["boxes"], Ok(await grpc.ListAnnotationsAsync(new ListAnnotationsRequest { Ids = { "boxes" }, InputIds = { "a1" } })).Annotations.Select(a => a.Id));
        Assert.Single(Ok(await grpc.ListAnnotationsAsync(new ListAnnotationsRequest { TaskId = "t1", PerPage = 1, Page = 2 })).Annotations);

        var merged = Ok(await grpc.PatchAnnotationsAsync(new PatchAnnotationsRequest
        {
            Action = "merge",
            Annotations = { new Annotation { Id = "boxes", Data = new WireData { Regions = { new Region { Id = "r1", Data = new WireData { Concepts = { Labeled("bike") } } } } } } },
        })).Annotations.Single();
        Assert.Equal(["car", "water", "bike"], merged.Data.Regions[0].Data.Concepts.Select(c => c.Id));
        // The client sends a concept's value whatever it is: a concept named by id is removed all the same.
        var removed = Ok(await grpc.PatchAnnotationsAsync(new PatchAnnotationsRequest
        {
            Action = "remove",
            Annotations = { new Annotation { Id = "tags", Data = new WireData { Concepts = { new Concept { Id = "sky" } } } } },
        })).Annotations.Single();
        Assert.Equal(["tree"], removed.Data.Concepts.Select(c => c.Id));
        Ok(await grpc.PatchAnnotationsAsync(new PatchAnnotationsRequest
        {
            Action = "remove", DeleteIfEmptyData = true,
            Annotations = { new Annotation { Id = "tags", Data = new WireData { Concepts = { Labeled("tree", 0) } } } },
        }));
        (await rest.GetAsync("/inputs/a2/annotations/tags")).AssertError(System.Net.HttpStatusCode.NotFound, 11101);

        var worker = Assert.Single(Ok(await grpc.ListAnnotationWorkersAsync(new ListAnnotationWorkersRequest())).Workers);
        var counts = Ok(await grpc.GetTaskAnnotationCountAsync(new GetTaskCountRequest { TaskId = "t1" }));
        Assert.Equal(("t1", worker.User.Id, 1u), (counts.TaskId, counts.Counts.Single().UserId, counts.Counts.Single().Success));

        Ok(await grpc.DeleteAnnotationAsync(new DeleteAnnotationRequest { InputId = "a1", AnnotationId = "boxes" }));
        Failed((await grpc.DeleteAnnotationAsync(new DeleteAnnotationRequest { InputId = "a1", AnnotationId = "boxes" })).Status, Code.ConnDoesNotExist);
        Ok(await grpc.PostAnnotationsAsync(new PostAnnotationsRequest { Annotations = { new Annotation { Id = "again", InputId = "a1" } } }));
        Ok(await grpc.DeleteAnnotationsAsync(new DeleteAnnotationsRequest { InputIds = { "a1" }, Ids = { "again" } }));
        Assert.DoesNotContain((await rest.GetAsync("/annotations?input_ids=a1")).Ok().GetProperty("annotations").EnumerateArray(), a => !a.GetProperty("input_level").GetBoolean());
    }

    [Fact]
    public async Task Annotation_filters_and_search_metrics_over_grpc_are_the_ones_rest_lists()
    {
        var (grpc, rest) = await TenantAsync();
        Ok(await grpc.PostInputsAsync(new PostInputsRequest { Inputs = { new Input { Id = "m1" }, new Input { Id = "m2" } } }));
        Ok(await grpc.PostAnnotationsAsync(new PostAnnotationsRequest
        {
            Annotations =
            {
                new Annotation { InputId = "m1", TaskId = "truth", Data = new WireData { Concepts = { Labeled("cat") } } },
                new Annotation { InputId = "m2", TaskId = "truth", Data = new WireData { Concepts = { Labeled("dog") } } },
                new Annotation { InputId = "m1", ModelVersionId = "mv", Data = new WireData { Concepts = { Labeled("cat") } } },
                new Annotation { InputId = "m2", ModelVersionId = "mv", Data = new WireData { Concepts = { Labeled("cat") } } },
            },
        }));
        static Search By(Annotation annotation) => new() { Query = new Query { Filters = { new Filter { Annotation = annotation } } } };

        var filter = Ok(await grpc.PostAnnotationFiltersAsync(new PostAnnotationFiltersRequest
        {
            AnnotationFilters = { new AnnotationFilter { Id = "truth-filter", Search = By(new Annotation { TaskId = "truth" }) } },
        })).AnnotationFilters.Single();
        Assert.Equal("truth", filter.Search.Query.Filters[0].Annotation.TaskId);
        Assert.Equal("truth-filter", Ok(await grpc.GetAnnotationFilterAsync(new GetAnnotationFilterRequest { AnnotationFilterId = "truth-filter" })).AnnotationFilter.Id);
        Ok(await grpc.PatchAnnotationFiltersAsync(new PatchAnnotationFiltersRequest
        {
            Action = "overwrite", AnnotationFilters = { new AnnotationFilter { Id = "truth-filter", Search = By(new Annotation { InputId = "m1" }) } },
        }));
        Assert.Equal("m1", Ok(await grpc.ListAnnotationFiltersAsync(new ListAnnotationFiltersRequest())).AnnotationFilters.Single().Search.Query.Filters[0].Annotation.InputId);
        Assert.Equal("truth-filter", (await rest.GetAsync("/annotation_filters")).Ok().GetProperty("annotation_filters")[0].GetProperty("id").GetString());
        Ok(await grpc.DeleteAnnotationFiltersAsync(new DeleteAnnotationFiltersRequest { AnnotationFilterIds = { "truth-filter" } }));
        Failed((await grpc.GetAnnotationFilterAsync(new GetAnnotationFilterRequest { AnnotationFilterId = "truth-filter" })).Status, Code.ConnDoesNotExist);

        var evaluation = Ok(await grpc.PostAnnotationSearchMetricsAsync(new PostAnnotationSearchMetricsRequest
        {
            Id = "eval", GroundTruth = By(new Annotation { TaskId = "truth" }), SearchToEval = By(new Annotation { ModelVersionId = "mv" }),
            EvaluationType = EvaluationType.Classification,
        })).AnnotationSearchMetrics.Single();
        Assert.Equal(("eval", "default", Code.ModelEvaluated), (evaluation.Metrics.Id, evaluation.Metrics.AppId, evaluation.Metrics.Status.Code));
        var cat = evaluation.Metrics.MetricsByClass.Single(c => c.Concept.Id == "cat");
        Assert.Equal((0.5f, 1f, 1u, 2u), (cat.PrecisionRecallCurve.Precision[0], cat.PrecisionRecallCurve.Recall[0], cat.NumPos, cat.NumTot));
        Assert.Equal(evaluation.Metrics.Summary.MacroAvgF1Score, Ok(await grpc.GetAnnotationSearchMetricsAsync(new GetAnnotationSearchMetricsRequest { Id = "eval" }))
            .AnnotationSearchMetrics.Single().Metrics.Summary.MacroAvgF1Score);
        Assert.Single(Ok(await grpc.ListAnnotationSearchMetricsAsync(new ListAnnotationSearchMetricsRequest())).AnnotationSearchMetrics);
        Assert.Equal("eval", (await rest.GetAsync("/annotations/searches/metrics/eval")).Ok().GetProperty("annotation_search_metrics")[0].GetProperty("metrics").GetProperty("id").GetString());
        Ok(await grpc.DeleteAnnotationSearchMetricsAsync(new DeleteAnnotationSearchMetricsRequest { Id = "eval" }));
        Failed((await grpc.DeleteAnnotationSearchMetricsAsync(new DeleteAnnotationSearchMetricsRequest { Id = "eval" })).Status, Code.ConnDoesNotExist);
    }

    [Fact]
    public async Task The_sdk_opens_an_app_it_names_and_lists_the_workspaces_apps()
    {
        var (grpc, _) = await TenantAsync();
        var app = Ok(await grpc.GetAppAsync(new GetAppRequest { UserAppId = DefaultApp })).App;
        Assert.Equal("default", app.Id);
        Assert.Contains("default", Ok(await grpc.ListAppsAsync(new ListAppsRequest())).Apps.Select(a => a.Id));
        Failed((await grpc.GetAppAsync(new GetAppRequest { UserAppId = new UserAppIDSet { UserId = "me", AppId = "no-such-app" } })).Status, Code.ConnDoesNotExist);
        Failed((await grpc.GetAppAsync(new GetAppRequest { UserAppId = new UserAppIDSet { UserId = "somebody-else", AppId = "default" } })).Status, Code.ConnDoesNotExist);
    }
}

[Collection(PostgresCollection.Name)]
public sealed class ClarifaiGrpcTestsOnPostgres(PostgresFixture fixture) : ClarifaiGrpcTests(fixture);

[Collection(SqliteCollection.Name)]
public sealed class ClarifaiGrpcTestsOnSqlite(SqliteFixture fixture) : ClarifaiGrpcTests(fixture);
