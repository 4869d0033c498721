"""ClearML Datasets with the unmodified SDK. `datasets.py write WORK` makes two versions of a dataset (the second a
child of the first: a file changed, one removed, one added), tags, metadata, publishes, renames, moves and
deletes others; `datasets.py read WORK`, in a fresh process, finds them by id, project and name, version and tag and
checks the listings, the lineage and that local copies are byte-equal to the source files; Dataset.squash merges both
versions into a new dataset. Exit 0 = PASS."""
import filecmp
import json
import os
import random
import sys

from clearml import Dataset, Task

phase, work = sys.argv[1], sys.argv[2]
src, state = os.path.join(work, "ds-src"), os.path.join(work, "datasets.json")
PROJECT = "capture/data"
V1_FILES = ["images/a.bin", "images/b.bin", "labels.csv", "readme.txt"]
V2_FILES = ["images/b.bin", "labels.csv", "more/extra.txt", "readme.txt"]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def write_file(rel, data, root=src):
    os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
    with open(os.path.join(root, rel), "wb") as f:
        f.write(data)


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def finalized(name, project=PROJECT, version=None, tags=None, parents=None, files=()):
    ds = Dataset.create(dataset_name=name, dataset_project=project, dataset_version=version, dataset_tags=tags,
                        parent_datasets=parents)
    for path in files:
        ds.add_files(path)
    ds.upload()
    ds.finalize()
    return ds


if phase == "write":
    rnd = random.Random(21)
    write_file("labels.csv", b"id,label\n1,cat\n2,dog\n")
    write_file("images/a.bin", bytes(rnd.getrandbits(8) for _ in range(3000)))
    write_file("images/b.bin", bytes(rnd.getrandbits(8) for _ in range(5000)))
    write_file("readme.txt", b"first version\n")
    v1 = Dataset.create(dataset_name="pets", dataset_project=PROJECT, dataset_tags=["raw"], dataset_version="1.0.0",
                        description="pet images")
    v1.add_files(src)
    v1.set_metadata({"rows": 2, "source": "camera"}, metadata_name="stats")
    v1.upload()
    check(v1.finalize(), "v1 finalized")
    v1_readme = read_file(os.path.join(src, "readme.txt"))

    write_file("readme.txt", b"second version\n")
    write_file("extra/extra.txt", b"extra file\n", root=work)
    # No version given: the SDK increments the latest (1.0.0 -> 1.0.1), reading the new version's empty runtime.
    v2 = Dataset.create(dataset_name="pets", dataset_project=PROJECT, parent_datasets=[v1.id], dataset_tags=["clean"])
    v2.remove_files("images/a.bin")
    v2.add_files(os.path.join(src, "readme.txt"))
    v2.add_files(os.path.join(work, "extra"), dataset_path="more")
    v2.upload()
    check(v2.finalize(), "v2 finalized")
    v2.publish()
    check(v2.version == "1.0.1", "v2 version " + str(v2.version))

    write_file("tmp/one.txt", b"temporary\n", root=work)
    doomed = finalized("doomed", version="1.0.0", files=[os.path.join(work, "tmp")])
    Dataset.delete(dataset_id=doomed.id, force=True)
    mover = finalized("mover", version="1.0.0", files=[os.path.join(work, "tmp")])
    Dataset.move_to_project(new_dataset_project="capture/archive", dataset_project=PROJECT, dataset_name="mover")
    finalized("renamer", version="1.0.0", files=[os.path.join(work, "tmp")])
    Dataset.rename(new_dataset_name="renamed", dataset_project=PROJECT, dataset_name="renamer")
    squashed = Dataset.squash(dataset_name="pets-squashed", dataset_ids=[v1.id, v2.id])
    check(squashed.is_final() and squashed.version == "1.0.0", "squashed final, version " + str(squashed.version))
    with open(state, "w") as f:
        json.dump({"v1": v1.id, "v2": v2.id, "doomed": doomed.id, "mover": mover.id, "squashed": squashed.id,
                   "v1_readme": v1_readme.decode()}, f)
else:
    ids = json.load(open(state))
    v1 = Dataset.get(dataset_id=ids["v1"])
    check(sorted(v1.list_files()) == V1_FILES, "v1 list_files " + str(sorted(v1.list_files())))
    check(v1.tags == ["raw"] and v1.version == "1.0.0" and v1.is_final(), "v1 tags, version, final")
    check(v1.get_metadata("stats") == {"rows": 2, "source": "camera"}, "v1 metadata " + repr(v1.get_metadata("stats")))
    latest = Dataset.get(dataset_project=PROJECT, dataset_name="pets")
    check(latest.id == ids["v2"], "Dataset.get(project, name) is the latest version")
    check(Dataset.get(dataset_project=PROJECT, dataset_name="pets", dataset_version="1.0.0").id == ids["v1"], "by version 1.0.0")
    check(Dataset.get(dataset_project=PROJECT, dataset_name="pets", dataset_tags=["raw"]).id == ids["v1"], "by tag raw")
    check(Dataset.get(dataset_project=PROJECT, dataset_name="pets", only_published=True).id == ids["v2"], "only_published")
    check(sorted(latest.list_files()) == V2_FILES, "v2 list_files " + str(sorted(latest.list_files())))
    check(latest.list_removed_files(ids["v2"]) == ["images/a.bin"], "v2 removed files")
    check(latest.list_modified_files(ids["v2"]) == ["readme.txt"], "v2 modified files")
    check(latest.list_added_files(ids["v2"]) == ["more/extra.txt"], "v2 added files")
    check(latest.get_dependency_graph() == {ids["v1"]: [], ids["v2"]: [ids["v1"]]}, "v2 lineage")
    copy = latest.get_local_copy()
    for rel in ["labels.csv", "images/b.bin", "readme.txt"]:
        check(filecmp.cmp(os.path.join(copy, rel), os.path.join(src, rel), shallow=False), "v2 copy byte-equal: " + rel)
    check(read_file(os.path.join(copy, "more/extra.txt")) == b"extra file\n", "v2 copy has more/extra.txt")
    check(not os.path.exists(os.path.join(copy, "images/a.bin")), "v2 copy lacks the removed file")
    check(latest.verify_dataset_hash(copy) == [], "v2 copy matches the recorded hashes")
    copy1 = v1.get_mutable_local_copy(os.path.join(work, "v1-copy"))
    check(filecmp.cmp(os.path.join(copy1, "images/a.bin"), os.path.join(src, "images/a.bin"), shallow=False), "v1 copy a.bin")
    check(read_file(os.path.join(copy1, "readme.txt")).decode() == ids["v1_readme"], "v1 copy has v1's readme")
    listed = Dataset.list_datasets(dataset_project=PROJECT)
    check(sorted((d["name"], d["version"]) for d in listed) ==
          [("pets", "1.0.0"), ("pets", "1.0.1"), ("pets-squashed", "1.0.0"), ("renamer", "1.0.0")],
          "list_datasets " + str(sorted((d["name"], d["version"]) for d in listed)))
    squashed = Dataset.get(dataset_id=ids["squashed"])
    check(set(V2_FILES) <= set(squashed.list_files()), "squashed has v2's files " + str(sorted(squashed.list_files())))
    check(read_file(os.path.join(squashed.get_local_copy(), "readme.txt")) == b"second version\n", "squashed readme is v2's")
    check([d["id"] for d in Dataset.list_datasets(dataset_project=PROJECT, tags=["clean"])] == [ids["v2"]], "list by tag")
    check({d["name"] for d in Dataset.list_datasets(dataset_project=PROJECT, partial_name="^pets$")} == {"pets"}, "list by name")
    # Dataset.rename renames the dataset's hidden project (what the web UI shows); the versions keep their task name.
    check(Task.get_project_id(PROJECT + "/.datasets/renamed") and not Task.get_project_id(PROJECT + "/.datasets/renamer"),
          "renamed dataset project")
    check([d["id"] for d in Dataset.list_datasets(dataset_project="capture/archive")] == [ids["mover"]], "moved dataset")
    check(all(d["id"] != ids["doomed"] for d in Dataset.list_datasets()), "deleted dataset is gone")
    consumer = Task.init(project_name=PROJECT, task_name="consumer", auto_connect_frameworks=False, auto_resource_monitoring=False)
    Dataset.get(dataset_project=PROJECT, dataset_name="pets", alias="train data")
    check(consumer.get_parameters().get("Datasets/train data") == ids["v2"], "alias recorded in the task's Datasets section")
    consumer.close()
if failures:
    sys.exit("FAILED: " + "; ".join(failures))
print("datasets " + phase + ": all checks passed")
