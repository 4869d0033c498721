"""Clarifai's official Python client (clarifai-grpc, unmodified) against this server, over gRPC and over REST/JSON.

Usage: client.py GRPC_HOST:PORT REST_BASE_URL API_KEY USER_ID
Runs the same checks once per transport (each in its own objects), then reads what each transport wrote through the
other one. Prints one line per check and, at the end, "N passed, M failed"; exit 0 only when every check passed.
"""
import sys
import uuid

import grpc
from clarifai_grpc.channel.clarifai_channel import ClarifaiChannel
from clarifai_grpc.grpc.api import resources_pb2, service_pb2, service_pb2_grpc
from clarifai_grpc.grpc.api.status import status_code_pb2

GRPC_ADDRESS, REST_BASE, KEY, USER = sys.argv[1:5]
METADATA = (("authorization", "Key " + KEY),)
APP = resources_pb2.UserAppIDSet(user_id=USER, app_id="default")
OK = status_code_pb2.SUCCESS
results = []


def check(name, condition, detail=""):
    results.append(bool(condition))
    print(("PASS " if condition else "FAIL ") + name + ("" if condition else "  " + str(detail)[:400]))


def stub_for(transport):
    if transport == "grpc":
        host, port = GRPC_ADDRESS.rsplit(":", 1)
        return service_pb2_grpc.V2Stub(ClarifaiChannel.get_insecure_grpc_channel(base=host, port=int(port)))
    return service_pb2_grpc.V2Stub(ClarifaiChannel.get_json_channel(base_url=REST_BASE))


def ok(name, response):
    check(name, response.status.code == OK, response.status)
    return response


def concept(cid, value=1.0):
    return resources_pb2.Concept(id=cid, value=value)


def suite(transport, stub):
    p = transport + "-" + uuid.uuid4().hex[:6] + "-"
    t = "[" + transport + "] "
    call = lambda method, request: getattr(stub, method)(request, metadata=METADATA)

    ok(t + "GetApp", call("GetApp", service_pb2.GetAppRequest(user_app_id=APP)))
    apps = ok(t + "ListApps", call("ListApps", service_pb2.ListAppsRequest(user_app_id=APP)))
    check(t + "ListApps lists default", "default" in [a.id for a in apps.apps])

    image = resources_pb2.Image(url="https://example.com/cat.jpg", allow_duplicate_url=True)
    posted = ok(t + "PostInputs", call("PostInputs", service_pb2.PostInputsRequest(user_app_id=APP, inputs=[
        resources_pb2.Input(id=p + "i1", data=resources_pb2.Data(image=image, concepts=[concept(p + "cat")])),
        resources_pb2.Input(id=p + "i2", data=resources_pb2.Data(text=resources_pb2.Text(raw="a dog")))])))
    check(t + "PostInputs ids", [i.id for i in posted.inputs] == [p + "i1", p + "i2"], posted.inputs)
    got = ok(t + "GetInput", call("GetInput", service_pb2.GetInputRequest(user_app_id=APP, input_id=p + "i1")))
    check(t + "GetInput url", got.input.data.image.url == image.url, got.input)
    listed = ok(t + "ListInputs ids", call("ListInputs", service_pb2.ListInputsRequest(user_app_id=APP, ids=[p + "i2"])))
    check(t + "ListInputs ids filters", [i.id for i in listed.inputs] == [p + "i2"], [i.id for i in listed.inputs])
    counts = ok(t + "GetInputCount", call("GetInputCount", service_pb2.GetInputCountRequest(user_app_id=APP)))
    check(t + "GetInputCount counts", counts.counts.processed >= 2, counts.counts)

    ok(t + "PostConcepts", call("PostConcepts", service_pb2.PostConceptsRequest(user_app_id=APP, concepts=[
        resources_pb2.Concept(id=p + "dog", name="Dog")])))
    got = ok(t + "GetConcept", call("GetConcept", service_pb2.GetConceptRequest(user_app_id=APP, concept_id=p + "dog")))
    check(t + "GetConcept name", got.concept.name == "Dog", got.concept)
    ok(t + "ListConcepts", call("ListConcepts", service_pb2.ListConceptsRequest(user_app_id=APP, per_page=100)))
    patched = ok(t + "PatchConcepts", call("PatchConcepts", service_pb2.PatchConceptsRequest(user_app_id=APP, action="overwrite", concepts=[
        resources_pb2.Concept(id=p + "dog", name="Hound")])))
    check(t + "PatchConcepts renames", patched.concepts[0].name == "Hound", patched.concepts)

    box = resources_pb2.BoundingBox(top_row=0.1, left_col=0.2, bottom_row=0.6, right_col=0.9)
    region = resources_pb2.Region(id=p + "r1", region_info=resources_pb2.RegionInfo(bounding_box=box),
                                  data=resources_pb2.Data(concepts=[concept(p + "cat"), concept(p + "dog", 0.0)]))
    created = ok(t + "PostAnnotations", call("PostAnnotations", service_pb2.PostAnnotationsRequest(user_app_id=APP, annotations=[
        resources_pb2.Annotation(id=p + "a1", input_id=p + "i1", task_id=p + "task", data=resources_pb2.Data(regions=[region])),
        resources_pb2.Annotation(id=p + "a2", input_id=p + "i2", task_id=p + "task", data=resources_pb2.Data(concepts=[concept(p + "dog"), concept(p + "cat")]))])))
    check(t + "PostAnnotations box", abs(created.annotations[0].data.regions[0].region_info.bounding_box.bottom_row - 0.6) < 1e-6, created.annotations)
    got = ok(t + "GetAnnotation", call("GetAnnotation", service_pb2.GetAnnotationRequest(user_app_id=APP, input_id=p + "i2", annotation_id=p + "a2")))
    check(t + "GetAnnotation concept names", [c.name for c in got.annotation.data.concepts] == ["Hound", p + "cat"], got.annotation.data)
    listed = ok(t + "ListAnnotations input_ids", call("ListAnnotations", service_pb2.ListAnnotationsRequest(user_app_id=APP, input_ids=[p + "i1"])))
    check(t + "ListAnnotations input_ids filters", {a.input_id for a in listed.annotations} == {p + "i1"}, listed.annotations)
    paired = ok(t + "ListAnnotations ids", call("ListAnnotations", service_pb2.ListAnnotationsRequest(user_app_id=APP, ids=[p + "a2"], input_ids=[p + "i2"])))
    check(t + "ListAnnotations ids pairs", [a.id for a in paired.annotations] == [p + "a2"], paired.annotations)
    by_user = ok(t + "ListAnnotations user_ids", call("ListAnnotations", service_pb2.ListAnnotationsRequest(user_app_id=APP, user_ids=[USER], list_all_annotations=True, per_page=1000)))
    check(t + "ListAnnotations user_ids", p + "a1" in [a.id for a in by_user.annotations], len(by_user.annotations))

    merged = ok(t + "PatchAnnotations merge", call("PatchAnnotations", service_pb2.PatchAnnotationsRequest(user_app_id=APP, action="merge", annotations=[
        resources_pb2.Annotation(id=p + "a1", data=resources_pb2.Data(regions=[resources_pb2.Region(id=p + "r1", data=resources_pb2.Data(concepts=[concept("bike")]))]))])))
    check(t + "PatchAnnotations merge adds", [c.id for c in merged.annotations[0].data.regions[0].data.concepts] == [p + "cat", p + "dog", "bike"], merged.annotations)
    removed = ok(t + "PatchAnnotations remove", call("PatchAnnotations", service_pb2.PatchAnnotationsRequest(user_app_id=APP, action="remove", annotations=[
        resources_pb2.Annotation(id=p + "a2", data=resources_pb2.Data(concepts=[concept(p + "dog", 0.0)]))])))
    check(t + "PatchAnnotations remove drops the concept", [c.id for c in removed.annotations[0].data.concepts] == [p + "cat"], removed.annotations)
    ok(t + "PatchAnnotations remove delete_if_empty_data", call("PatchAnnotations", service_pb2.PatchAnnotationsRequest(
        user_app_id=APP, action="remove", delete_if_empty_data=True, annotations=[
            resources_pb2.Annotation(id=p + "a2", data=resources_pb2.Data(concepts=[concept(p + "cat", 0.0)]))])))
    gone = call("GetAnnotation", service_pb2.GetAnnotationRequest(user_app_id=APP, input_id=p + "i2", annotation_id=p + "a2"))
    check(t + "emptied annotation deleted", gone.status.code == status_code_pb2.CONN_DOES_NOT_EXIST, gone.status)
    over = ok(t + "PatchAnnotations overwrite", call("PatchAnnotations", service_pb2.PatchAnnotationsRequest(user_app_id=APP, action="overwrite", annotations=[
        resources_pb2.Annotation(id=p + "a1", data=resources_pb2.Data(concepts=[concept(p + "dog")]))])))
    check(t + "PatchAnnotations overwrite replaces", len(over.annotations[0].data.regions) == 0 and over.annotations[0].data.concepts[0].id == p + "dog", over.annotations)

    workers = ok(t + "ListAnnotationWorkers", call("ListAnnotationWorkers", service_pb2.ListAnnotationWorkersRequest(user_app_id=APP)))
    check(t + "ListAnnotationWorkers names the user", USER in [w.user.id for w in workers.workers], workers.workers)
    task = ok(t + "GetTaskAnnotationCount", call("GetTaskAnnotationCount", service_pb2.GetTaskCountRequest(user_app_id=APP, task_id=p + "task")))
    check(t + "GetTaskAnnotationCount counts", sum(c.success for c in task.counts) == 1, task.counts)

    search = lambda **annotation: resources_pb2.Search(query=resources_pb2.Query(filters=[resources_pb2.Filter(annotation=resources_pb2.Annotation(**annotation))]))
    ok(t + "PostAnnotationFilters", call("PostAnnotationFilters", service_pb2.PostAnnotationFiltersRequest(user_app_id=APP, annotation_filters=[
        resources_pb2.AnnotationFilter(id=p + "f1", search=search(task_id=p + "task"))])))
    got = ok(t + "GetAnnotationFilter", call("GetAnnotationFilter", service_pb2.GetAnnotationFilterRequest(user_app_id=APP, annotation_filter_id=p + "f1")))
    check(t + "GetAnnotationFilter search", got.annotation_filter.search.query.filters[0].annotation.task_id == p + "task", got.annotation_filter)
    ok(t + "PatchAnnotationFilters", call("PatchAnnotationFilters", service_pb2.PatchAnnotationFiltersRequest(user_app_id=APP, action="overwrite", annotation_filters=[
        resources_pb2.AnnotationFilter(id=p + "f1", search=search(input_id=p + "i1"))])))
    ok(t + "ListAnnotationFilters", call("ListAnnotationFilters", service_pb2.ListAnnotationFiltersRequest(user_app_id=APP)))
    ok(t + "DeleteAnnotationFilters", call("DeleteAnnotationFilters", service_pb2.DeleteAnnotationFiltersRequest(user_app_id=APP, annotation_filter_ids=[p + "f1"])))

    metrics = ok(t + "PostAnnotationSearchMetrics", call("PostAnnotationSearchMetrics", service_pb2.PostAnnotationSearchMetricsRequest(
        user_app_id=APP, id=p + "eval", ground_truth=search(task_id=p + "task"), search_to_eval=search(user_id=USER),
        evaluation_type=resources_pb2.Classification)))
    m = metrics.annotation_search_metrics[0].metrics
    check(t + "search metrics id inside metrics", m.id == p + "eval" and m.app_id == "default" and m.user_id == USER, m)
    check(t + "search metrics per class", len(m.metrics_by_class) > 0 and m.metrics_by_class[0].concept.id != "", m.metrics_by_class)
    got = ok(t + "GetAnnotationSearchMetrics", call("GetAnnotationSearchMetrics", service_pb2.GetAnnotationSearchMetricsRequest(user_app_id=APP, id=p + "eval")))
    check(t + "GetAnnotationSearchMetrics id", got.annotation_search_metrics[0].metrics.id == p + "eval", got)
    ok(t + "ListAnnotationSearchMetrics", call("ListAnnotationSearchMetrics", service_pb2.ListAnnotationSearchMetricsRequest(user_app_id=APP)))
    ok(t + "DeleteAnnotationSearchMetrics", call("DeleteAnnotationSearchMetrics", service_pb2.DeleteAnnotationSearchMetricsRequest(user_app_id=APP, id=p + "eval")))

    missing = call("PostAnnotations", service_pb2.PostAnnotationsRequest(user_app_id=APP, annotations=[resources_pb2.Annotation(input_id=p + "nowhere")]))
    check(t + "unknown input is 11101 in status", missing.status.code == status_code_pb2.CONN_DOES_NOT_EXIST, missing.status)
    bad = call("PatchAnnotations", service_pb2.PatchAnnotationsRequest(user_app_id=APP, action="replace", annotations=[resources_pb2.Annotation(id=p + "a1")]))
    check(t + "bad action is 11102 in status", bad.status.code == status_code_pb2.CONN_INVALID_REQUEST, bad.status)
    wrong_key = getattr(stub, "ListInputs")(service_pb2.ListInputsRequest(user_app_id=APP), metadata=(("authorization", "Key nope"),))
    check(t + "unknown key is 11009 in status", wrong_key.status.code == status_code_pb2.CONN_KEY_NOT_FOUND, wrong_key.status)
    return p


def cleanup(transport, stub, p):
    t = "[" + transport + "] "
    call = lambda method, request: getattr(stub, method)(request, metadata=METADATA)
    ok(t + "DeleteAnnotation", call("DeleteAnnotation", service_pb2.DeleteAnnotationRequest(user_app_id=APP, input_id=p + "i1", annotation_id=p + "a1")))
    ok(t + "DeleteAnnotations", call("DeleteAnnotations", service_pb2.DeleteAnnotationsRequest(user_app_id=APP, input_ids=[p + "i1", p + "i2"])))
    ok(t + "DeleteInput", call("DeleteInput", service_pb2.DeleteInputRequest(user_app_id=APP, input_id=p + "i1")))
    ok(t + "DeleteInputs", call("DeleteInputs", service_pb2.DeleteInputsRequest(user_app_id=APP, ids=[p + "i2"])))


stubs = {"grpc": stub_for("grpc"), "json": stub_for("json")}
prefixes = {transport: suite(transport, stub) for transport, stub in stubs.items()}
for writer, reader in (("grpc", "json"), ("json", "grpc")):
    got = stubs[reader].GetAnnotation(service_pb2.GetAnnotationRequest(user_app_id=APP, input_id=prefixes[writer] + "i1", annotation_id=prefixes[writer] + "a1"), metadata=METADATA)
    check("[%s reads %s] GetAnnotation" % (reader, writer), got.status.code == OK and got.annotation.data.concepts[0].id == prefixes[writer] + "dog", got)
for transport, stub in stubs.items():
    cleanup(transport, stub, prefixes[transport])
try:
    stubs["grpc"].ListModels(service_pb2.ListModelsRequest(user_app_id=APP), metadata=METADATA)
    check("[grpc] an RPC not served is UNIMPLEMENTED", False, "answered")
except grpc.RpcError as e:
    check("[grpc] an RPC not served is UNIMPLEMENTED", e.code() == grpc.StatusCode.UNIMPLEMENTED, e.code())

failed = results.count(False)
print("%d passed, %d failed" % (len(results) - failed, failed))
sys.exit(1 if failed else 0)
