"""Runs the integration-level mutations of mutations.txt; see run-mutations.sh.

Each mutation is an exact text edit (file, old snippet, new snippet) that breaks a promise of the
spec. It is applied to a scratch copy of the repository (the tracked and untracked, not ignored,
files: the working tree as it is, never touched itself), the tests named for it run through Maven
(never `mvn install`), and the mutation is killed when they fail. A snippet that no longer occurs
exactly once means the code moved: update mutations.txt.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "mutations.txt"
TIMEOUT_SECONDS = 30 * 60


@dataclass
class Mutation:
    name: str
    why: str = ""
    file: str = ""
    module: str = ""
    it: str = ""
    test: str = ""
    edits: list = field(default_factory=list)  # [(old, new)]


def parse(path):
    """The mutations of the data file: `== name`, `key: value` lines, then edits, each
    `--- old` / `--- new` / `--- end` with the snippets verbatim between the markers."""
    mutations, current, mode, old, buf = [], None, None, None, []
    for number, line in enumerate(path.read_text().splitlines(keepends=True), 1):
        marker = line.rstrip("\n")
        if mode in ("old", "new") and marker not in ("--- new", "--- end"):
            buf.append(line)
            continue
        if marker == "--- new" and mode == "old":
            old, buf, mode = "".join(buf), [], "new"
        elif marker == "--- end" and mode == "new":
            current.edits.append((old, "".join(buf)))
            buf, mode = [], None
        elif marker == "--- old" and current is not None and mode is None:
            buf, mode = [], "old"
        elif marker.startswith("== ") and mode is None:
            current = Mutation(marker[3:].strip())
            mutations.append(current)
        elif marker.strip() == "" or marker.startswith("#"):
            continue
        elif current is not None and mode is None and re.match(r"^[a-z]+: ", marker):
            key, value = marker.split(": ", 1)
            if key not in ("why", "file", "module", "it", "test"):
                sys.exit(f"{path}:{number}: unknown key {key}")
            setattr(current, key, value.strip())
        else:
            sys.exit(f"{path}:{number}: unexpected line: {marker}")
    if mode is not None:
        sys.exit(f"{path}: an edit of {current.name} is not closed with --- end")
    for m in mutations:
        if not (m.file and m.module and (m.it or m.test) and m.edits):
            sys.exit(f"{path}: mutation {m.name} needs file, module, it or test, and an edit")
    return mutations


def copy_repository(root, scratch):
    """The working tree as it is (tracked and untracked, not ignored files) into scratch."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=root, check=True, capture_output=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = root / name
        if source.is_file():
            target = scratch / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    venv = root / ".venv"
    if venv.is_dir():  # the pinned Python tools, shared read-only: no second install
        (scratch / ".venv").symlink_to(venv)


def failing_tests(log):
    """The tests Maven's summary lists as failed or in error, as Class.method."""
    found = re.findall(r"^\[ERROR\]   (?:(\w+)>)?([A-Z]\w*)\.(\w+)",
                       Path(log).read_text(errors="replace"), re.MULTILINE)
    # an inherited test is listed as Runner>Declarer.method: name it after the class that ran it
    return list(dict.fromkeys(f"{runner or declarer}.{method}"
                              for runner, declarer, method in found))


def maven(scratch, module, it, test, log):
    """Runs the named tests of a module (and what it needs); returns (outcome, seconds)."""
    for reports in list(scratch.glob("**/target/failsafe-reports")) + list(
            scratch.glob("**/target/surefire-reports")):
        shutil.rmtree(reports)  # a stale summary would decide the verdict
    command = [
        "mvn", "-B", "-pl", module, "-am", "verify",
        "-Dtest=" + (test or "none"), "-Dit.test=" + (it or "none"),
        "-Dsurefire.failIfNoSpecifiedTests=false", "-Dfailsafe.failIfNoSpecifiedTests=false",
        "-Dspotless.check.skip=true", "-DskipPitest",
    ]
    started = time.monotonic()
    with open(log, "w") as out:
        out.write("$ " + " ".join(command) + "\n")
        out.flush()
        try:
            code = subprocess.run(command, cwd=scratch, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=TIMEOUT_SECONDS).returncode
        except subprocess.TimeoutExpired:
            return "timed out", time.monotonic() - started
    seconds = time.monotonic() - started
    text = Path(log).read_text(errors="replace")
    ran = re.findall(r"Tests run: (\d+), Failures: (\d+), Errors: (\d+)", text)
    if code == 0:
        return ("passed" if ran and any(int(r[0]) for r in ran) else "ran no test"), seconds
    if "COMPILATION ERROR" in text:
        return "does not compile", seconds
    if "There are test failures" in text or any(int(f) or int(e) for _, f, e in ran):
        return "failed", seconds
    return "build error", seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these mutations")
    parser.add_argument("--list", action="store_true", help="list the mutations and exit")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the run of the tests on the unmutated code")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy")
    args = parser.parse_args()

    mutations = parse(DATA)
    if args.list:
        for m in mutations:
            print(f"{m.name}: {m.why}")
        return 0
    unknown = set(args.names) - {m.name for m in mutations}
    if unknown:
        sys.exit("unknown mutation(s): " + ", ".join(sorted(unknown)))
    if args.names:
        mutations = [m for m in mutations if m.name in args.names]

    root = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=HERE, check=True,
                               capture_output=True, text=True).stdout.strip())
    logs = root / "target" / "mutations"
    logs.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="helix-mutations-"))
    print(f"scratch copy: {scratch}; logs: {logs}", flush=True)
    results = []
    try:
        copy_repository(root, scratch)

        if not args.no_baseline:
            # The tests must pass on the code as it is, or a failure proves nothing.
            by_module = {}
            for m in mutations:
                its, tests = by_module.setdefault(m.module, (set(), set()))
                its.update(filter(None, m.it.split(",")))
                tests.update(filter(None, m.test.split(",")))
            for module, (its, tests) in sorted(by_module.items()):
                outcome, seconds = maven(scratch, module, ",".join(sorted(its)),
                                         ",".join(sorted(tests)),
                                         logs / f"baseline-{module.replace('/', '-')}.log")
                print(f"baseline {module}: {outcome} ({seconds:.0f} s)", flush=True)
                if outcome != "passed":
                    print("the tests fail without any mutation; see the baseline log")
                    return 1

        for m in mutations:
            target = scratch / m.file
            original = target.read_text() if target.is_file() else None
            text, stale = original, None
            if original is None:
                stale = f"{m.file} does not exist"
            else:
                for number, (old, new) in enumerate(m.edits, 1):
                    count = text.count(old)
                    if count != 1:
                        stale = f"edit {number}: its old snippet occurs {count} times in {m.file}"
                        break
                    text = text.replace(old, new)
            if stale:
                verdict, detail = "does not apply", stale
            else:
                target.write_text(text)
                try:
                    outcome, seconds = maven(scratch, m.module, m.it, m.test,
                                             logs / f"{m.name}.log")
                finally:
                    target.write_text(original)
                verdict = {"failed": "killed", "passed": "survived"}.get(outcome, "error")
                detail = f"{outcome} in {seconds:.0f} s"
                if outcome == "failed":
                    detail += ": " + ", ".join(failing_tests(logs / f"{m.name}.log"))
                else:
                    detail += f" (ran {m.it or m.test})"
            results.append((m.name, verdict))
            print(f"{verdict:<15} {m.name:<40} {detail}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)

    counts = {v: sum(1 for _, r in results if r == v)
              for v in ("killed", "survived", "does not apply", "error")}
    print(f"\n{len(results)} mutations: {counts['killed']} killed, {counts['survived']} survived,"
          f" {counts['does not apply']} no longer apply, {counts['error']} errors")
    for name, verdict in results:
        if verdict != "killed":
            print(f"  {verdict}: {name}")
    return 0 if results and counts["killed"] == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
