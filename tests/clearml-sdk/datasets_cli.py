"""The unmodified `clearml-data` CLI (python -m clearml.cli.data, each command a fresh process): create, add, close
(which uploads), a child version with a removed and an added file, publish, list, search, compare, get a copy, verify
it, delete. Checks what each command prints and that the copies are byte-equal to the sources. Usage:
datasets_cli.py WORK. Exit 0 = PASS."""
import filecmp
import os
import re
import subprocess
import sys

work = os.path.join(sys.argv[1], "cli")
os.makedirs(os.path.join(work, "src", "sub"), exist_ok=True)
env = dict(os.environ, HOME=work)  # the CLI keeps its current dataset in ~/.clearml_data.json
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def cli(*args):
    run = subprocess.run([sys.executable, "-m", "clearml.cli.data", *args], cwd=work, env=env, capture_output=True, text=True)
    print("$ clearml-data " + " ".join(args) + "\n" + run.stdout + run.stderr)
    if run.returncode != 0:
        sys.exit("FAILED: clearml-data {} exited {}".format(args[0], run.returncode))
    return run.stdout


def created_id(output):
    return re.search(r"New dataset created id=([0-9a-f]{32})", output).group(1)


with open(os.path.join(work, "src", "t.csv"), "w") as f:
    f.write("a,b\n1,2\n")
with open(os.path.join(work, "src", "sub", "r.bin"), "wb") as f:
    f.write(bytes(range(256)) * 20)
with open(os.path.join(work, "new.txt"), "w") as f:
    f.write("added in 1.0.1\n")

first = created_id(cli("create", "--project", "capture/cli", "--name", "tables", "--version", "1.0.0", "--tags", "first"))
check("2 files added" in cli("add", "--files", "src/t.csv", "src/sub"), "add: 2 files added")
check("Dataset closed and finalized" in cli("close"), "close uploads and finalizes")
# No version for the child: the CLI increments the parent's (1.0.0 -> 1.0.1).
second = created_id(cli("create", "--project", "capture/cli", "--name", "tables", "--parents", first))
check("1 file removed" in cli("remove", "--files", "t.csv"), "remove: 1 file removed")
check("1 file added" in cli("add", "--files", "new.txt"), "add: 1 file added")
check("Dataset closed and finalized" in cli("close"), "child closed")
cli("publish", "--id", second)

listing = cli("list", "--project", "capture/cli", "--name", "tables")
check(re.search(r"new\.txt\s+\|\s+15 \|", listing) and re.search(r"r\.bin\s+\|\s+5,120 \|", listing)
      and "t.csv" not in listing and "Total 2 files, 5135 bytes" in listing, "list: the latest version's files")
listing = cli("list", "--id", first)
check("t.csv" in listing and "Total 2 files, 5128 bytes" in listing, "list --id: the first version's files")
found = cli("search", "--project", "capture/cli")
check(re.search(r"tables\s+\|\s+1\.0\.1", found) and re.search(r"tables\s+\|\s+1\.0\.0", found), "search: both versions")
compared = cli("compare", "--source", first, "--target", second)
check("1 files removed, 0 files modified, 1 files added" in compared, "compare")

copy = os.path.join(work, "copy")
check("Dataset local copy available" in cli("get", "--id", second, "--copy", copy), "get --copy")
check(filecmp.cmp(os.path.join(copy, "r.bin"), os.path.join(work, "src", "sub", "r.bin"), shallow=False)
      and filecmp.cmp(os.path.join(copy, "new.txt"), os.path.join(work, "new.txt"), shallow=False)
      and not os.path.exists(os.path.join(copy, "t.csv")), "the copy is byte-equal to the sources")
check("verification completed successfully, no errors found" in cli("verify", "--id", second, "--folder", copy), "verify the copy")

doomed = created_id(cli("create", "--project", "capture/cli", "--name", "scratch", "--version", "1.0.0"))
cli("add", "--files", "new.txt")
cli("close")
cli("delete", "--id", doomed, "--force")
found = cli("search", "--project", "capture/cli")
check("scratch" not in found and "tables" in found, "delete: the dataset is gone")
if failures:
    sys.exit("FAILED: " + "; ".join(failures))
print("clearml-data: all checks passed")
