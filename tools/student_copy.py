"""Your own copy of the notebooks, which course updates never overwrite (`make lab`, `make update`).

    python tools/student_copy.py create    # first `make lab`: clone the course into my-course/
    python tools/student_copy.py update    # `make update`: bring in new material, keep your edits
    python tools/student_copy.py status    # how many course updates are waiting

The tracked ``notebooks/`` of the repository stay exactly as the course ships them (so ``git pull``
never conflicts with a student's work); you work in ``my-course/notebooks/`` (git-ignored; set
``LECTURE_COPY_DIR`` to put it elsewhere). The copy is made and updated by **nbgitpuller**, the
tool a JupyterHub class link uses, pulling from this repository's current branch (its committed
state). Its merge rules, applied by ``update``:

- a notebook you did not touch is brought up to date;
- a new notebook of the course appears;
- a notebook you edited keeps your edits; the course's changes to *other* parts of it are merged
  in, and where both changed the same lines, **yours win** (``git merge -Xours``);
- a notebook you deleted comes back fresh (delete one to get a clean copy of it);
- a file of yours whose name the course now uses is renamed ``name__<timestamp>.ext`` first.

One guard on top of nbgitpuller: a merge is plain text, so after it every notebook that changed is
read back; one that no longer opens gets your version back, with the course's version saved beside
it as ``<name>.course.ipynb`` (never seen so far, but a notebook that will not open would cost a
student their work).

Without git (the course downloaded as a zip) the copy is a plain copy and ``update`` only adds
notebooks you do not have yet.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = "notebooks"


def copy_dir() -> Path:
    """Where the student's copy lives: ``$LECTURE_COPY_DIR`` or ``<repo>/my-course``."""
    env = os.environ.get("LECTURE_COPY_DIR", "").strip()
    return Path(env).expanduser().resolve() if env else REPO / "my-course"


def _git(*args: str, cwd: Path, check: bool = True) -> str:
    out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                         env=dict(os.environ, LANG="C"))
    if check and out.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}:\n{out.stderr.strip()}")
    return out.stdout.strip()


def is_git_repo(path: Path) -> bool:
    return (shutil.which("git") is not None and (path / ".git").exists()
            and subprocess.run(["git", "rev-parse", "--git-dir"], cwd=path,
                               capture_output=True).returncode == 0)


def course_branch(source: Path) -> str:
    """The branch of the course repository the copy follows (its current branch)."""
    branch = _git("symbolic-ref", "--quiet", "--short", "HEAD", cwd=source, check=False)
    if not branch:
        raise RuntimeError(f"{source} is not on a branch (detached HEAD): `git switch main` there "
                           "first, so your copy knows which branch brings the updates.")
    return branch


@dataclass
class Report:
    """What an update did, by notebook name (relative to the copy's notebooks folder)."""
    created: bool = False
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def summary(self, notebooks: Path) -> str:
        if self.created:
            return f"Your own copy of the notebooks is in {notebooks} (edit freely; `make update` brings new material)."
        lines = []
        for label, names in (("new", self.added), ("updated", self.updated),
                             ("your edits kept in", self.kept_edits), ("restored (you had deleted it)",
                                                                       self.restored)):
            if names:
                lines.append(f"  {label}: {', '.join(names)}")
        for name in self.repaired:
            lines.append(f"  ! {name}: the merged notebook would not open; yours is back, the course's "
                         f"version is beside it as {Path(name).stem}.course.ipynb")
        if not lines:
            return f"Your copy in {notebooks} is up to date."
        return f"Updated your copy in {notebooks}:\n" + "\n".join(lines)


def _puller(source: Path, dest: Path, branch: str):
    from nbgitpuller import GitPuller

    # depth=0: a full clone (a shallow clone of a local path is ignored by git anyway)
    return GitPuller(str(source), str(dest), branch=branch, depth=0)


def _notebook_changes(dest: Path, old: str, new: str) -> dict[str, str]:
    """{notebook path: A/M/D} between two commits of the copy, under notebooks/."""
    out = _git("diff", "--name-status", "--no-renames", old, new, "--", NOTEBOOKS, cwd=dest)
    changes = {}
    for line in out.splitlines():
        status, path = line.split("\t", 1)
        if path.endswith(".ipynb"):
            changes[path] = status[0]
    return changes


def _opens(path: Path) -> bool:
    import nbformat

    try:
        nbformat.validate(nbformat.read(path, as_version=4))
        return True
    except Exception:
        return False


def create(source: Path = REPO, dest: Path | None = None) -> Report:
    """Make the copy if it does not exist yet (nothing happens if it does)."""
    dest = dest or copy_dir()
    report = Report()
    if dest.exists():
        return report
    report.created = True
    if is_git_repo(source):
        report.log = list(_puller(source, dest, course_branch(source)).pull())
    else:  # a zip download: a plain copy of the notebooks
        shutil.copytree(source / NOTEBOOKS, dest / NOTEBOOKS,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return report


def update(source: Path = REPO, dest: Path | None = None) -> Report:
    """Bring the course's latest committed notebooks into the copy without touching your edits."""
    dest = dest or copy_dir()
    if not dest.exists():
        return create(source, dest)
    report = Report()
    if not (dest / ".git").exists():  # a plain copy: add what is missing, never overwrite
        for nb in sorted((source / NOTEBOOKS).glob("*.ipynb")):
            target = dest / NOTEBOOKS / nb.name
            if not target.exists():
                shutil.copy2(nb, target)
                report.added.append(nb.name)
        return report
    branch = course_branch(source)
    before = _git("rev-parse", "HEAD", cwd=dest)
    deleted = set(_git("ls-files", "--deleted", "--", NOTEBOOKS, cwd=dest).splitlines())
    report.log = list(_puller(source, dest, branch).pull())
    after = _git("rev-parse", "HEAD", cwd=dest)
    course = f"origin/{branch}"
    strip = len(NOTEBOOKS) + 1
    report.restored = sorted(p[strip:] for p in deleted if (dest / p).exists())
    # your side of the merge: the first parent of nbgitpuller's merge commit (its commit of your
    # edits, or where you were); after a fast-forward, where you were; else HEAD itself
    parents = _git("rev-list", "--parents", "-n", "1", "HEAD", cwd=dest).split()[1:]
    if len(parents) == 2:
        student = parents[0]
    elif after == _git("rev-parse", course, cwd=dest):
        student = before
    else:
        student = after
    base = _git("merge-base", student, course, cwd=dest)
    edited = set(_git("diff", "--name-only", base, student, "--", NOTEBOOKS, cwd=dest).splitlines())
    # what the course changed since your copy last merged it
    last = _git("merge-base", before, course, cwd=dest)
    for path, status in sorted(_notebook_changes(dest, last, course).items()):
        name = path[strip:]
        if status == "A":
            report.added.append(name)
        elif path in edited:
            report.kept_edits.append(name)
        elif status == "M" and path not in deleted:
            report.updated.append(name)
    for path in sorted(_notebook_changes(dest, student, after)):
        target = dest / path
        if target.exists() and not _opens(target):  # the guard: never leave a notebook that will not open
            target.with_name(f"{target.stem}.course.ipynb").write_text(
                _git("show", f"{course}:{path}", cwd=dest) + "\n", encoding="utf-8")
            target.write_text(_git("show", f"{student}:{path}", cwd=dest) + "\n", encoding="utf-8")
            report.repaired.append(path[strip:])
    return report


def pending(source: Path = REPO, dest: Path | None = None) -> int:
    """How many course commits the copy has not merged yet (0 without git or without a copy)."""
    dest = dest or copy_dir()
    if not ((dest / ".git").exists() and is_git_repo(source)):
        return 0
    try:
        branch = course_branch(source)
        _git("fetch", "--quiet", "origin", cwd=dest)
        return int(_git("rev-list", "--count", f"HEAD..origin/{branch}", cwd=dest))
    except (RuntimeError, ValueError):
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=["create", "update", "status"])
    parser.add_argument("--dir", type=Path, help="the copy (default: $LECTURE_COPY_DIR or my-course/)")
    parser.add_argument("--source", type=Path, default=REPO,
                        help="the course repository (default: this one)")
    parser.add_argument("--verbose", action="store_true", help="show nbgitpuller's git commands")
    args = parser.parse_args(argv)
    dest = (args.dir or copy_dir()).expanduser().resolve()
    source = args.source.expanduser().resolve()
    try:
        if args.action == "status":
            n = pending(source, dest)
            print(f"{n} course update(s) waiting: run `make update`" if n else "Your copy is up to date.")
            return 0
        report = (create if args.action == "create" else update)(source, dest)
    except Exception as exc:  # a student sees one clear line, not a traceback
        print(f"Could not {args.action} your copy in {dest}: {exc}", file=sys.stderr)
        return 1
    if args.verbose:
        print("".join(report.log), end="")
    if report.created or args.action == "update":
        print(report.summary(dest / NOTEBOOKS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
