"""Run the site builder on the staging tree and swap the result in atomically.

The builder is a subprocess (MkDocs + Material today; any program that reads ``mkdocs.yml`` can
replace it). It writes into a fresh directory next to ``--out``; only when every step has
succeeded does that directory replace ``--out``, in one atomic exchange on Linux. A failed or
killed build leaves the previous site as it was; its leftovers are removed by the next build.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.builder import shell

# ``mkdocs build`` has no option for docs_dir; load_config takes it as an override, exactly as
# the CLI passes ``--site-dir``. Paths arrive absolute, so the working directory does not matter.
MKDOCS_SCRIPT = """
import sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
config = load_config(config_file=sys.argv[1], docs_dir=sys.argv[2], site_dir=sys.argv[3],
                     strict=True)
build(config)
"""


class SiteBuildError(Exception):
    """The site builder failed; ``output`` is what it printed."""

    def __init__(self, message: str, output: str = "") -> None:
        super().__init__(message)
        self.output = output


@dataclass(frozen=True)
class BuilderRun:
    output: str
    partial: bool = False  # only the changed pages were rendered
    processes: int = 1  # builder processes run (side by side, plus any run for missed shells)
    filled: int = 0  # record pages filled into a shell instead of rendered by the builder


def builder_command(config: Path, docs_dir: Path, site_dir: Path) -> list[str]:
    return [
        sys.executable,
        "-c",
        MKDOCS_SCRIPT,
        str(config.resolve()),
        str(docs_dir.resolve()),
        str(site_dir.resolve()),
    ]


def builder_environment() -> dict[str, str]:
    """The caller's environment (``SOURCE_DATE_EPOCH`` passes through) without the 2.0 banner."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONIOENCODING": "utf-8"}


def _libc() -> ctypes.CDLL | None:
    return ctypes.CDLL(None, use_errno=True) if sys.platform == "linux" else None


def die_with_parent() -> None:  # pragma: no cover - runs in a child (builders, the index writer)
    """Linux: the child is killed when ``catalog build`` dies (a killed build leaves no writer)."""
    libc = _libc()
    if libc is not None:
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL


def run_builder(config: Path, docs_dir: Path, site_dir: Path) -> BuilderRun:
    return run_builders(config, [(docs_dir, site_dir)])


def run_builders(config: Path, jobs: Sequence[tuple[Path, Path]]) -> BuilderRun:
    """One builder process per (docs dir, site dir), all at once; fails if any fails."""
    with ExitStack() as stack:
        started = []
        for docs_dir, site_dir in jobs:
            log = stack.enter_context(tempfile.TemporaryFile())
            process = subprocess.Popen(
                builder_command(config, docs_dir, site_dir),
                stdout=log,
                stderr=subprocess.STDOUT,
                env=builder_environment(),
                preexec_fn=die_with_parent if sys.platform == "linux" else None,
            )
            stack.callback(process.kill)  # a failed sibling or an exception: no orphan writer
            started.append((process, log))
        codes, output = [], ""
        for process, log in started:
            codes.append(process.wait())
            log.seek(0)
            output += log.read().decode("utf-8", "replace")
    failed = [code for code in codes if code != 0]
    if failed:
        raise SiteBuildError(f"MkDocs 构建失败（退出码 {failed[0]}），原网站未改动。", output)
    return BuilderRun(output=output)


def _alive(pid: int) -> bool:
    if os.name != "posix":  # os.kill(pid, 0) would terminate the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_dirs(out_dir: Path) -> list[Path]:
    """Delete the temporary siblings of ``out_dir`` left by builds that were killed.

    Their names carry the builder's process id; a directory whose process is gone is stale.
    """
    pattern = re.compile(rf"\.{re.escape(out_dir.name)}-(?:new|old)-(\d+)-\w+")
    removed = []
    for sibling in sorted(out_dir.parent.glob(f".{out_dir.name}-*")):
        match = pattern.fullmatch(sibling.name)
        if match and sibling.is_dir() and not sibling.is_symlink() and not _alive(int(match[1])):
            shutil.rmtree(sibling, ignore_errors=True)
            removed.append(sibling)
    return removed


@contextmanager
def fresh_site_dir(out_dir: Path) -> Iterator[Path]:
    """A new empty directory beside ``out_dir``; removed again if the build does not finish."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_dirs(out_dir)
    temporary = Path(
        tempfile.mkdtemp(prefix=f".{out_dir.name}-new-{os.getpid()}-", dir=out_dir.parent)
    )
    try:
        yield temporary
    finally:
        if temporary.exists():
            shutil.rmtree(temporary)


def exchange(first: Path, second: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2(RENAME_EXCHANGE)``).

    False where the system or file system cannot; an ``OSError`` for any other failure.
    """
    libc = _libc()
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_cwd, rename_exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``new_dir`` and delete the old site.

    With an atomic exchange there is no moment without a site; elsewhere the old site is
    renamed away first and put back if ``new_dir`` cannot take its place.
    """
    if out_dir.is_dir() and not out_dir.is_symlink() and exchange(new_dir, out_dir):
        shutil.rmtree(new_dir)  # it now holds the old site
        return
    old = None
    if out_dir.exists():
        prefix = f".{out_dir.name}-old-{os.getpid()}-"
        old = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
    try:
        new_dir.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old)


SiteStep = Callable[[Path], object]


# ---------------------------------------------------------------- incremental builds
#
# MkDocs renders each page from its own Markdown, the configuration and the theme; links are
# written as ``.html`` by the generator, so a page's HTML does not depend on the other pages
# being present (the nav is fixed in mkdocs.yml). A warm build therefore lets MkDocs render only
# the staging files that changed since the site in ``--out`` was built (plus the top-level pages,
# which hold the nav), and takes every other page from the previous site. ``manifest`` records
# which staging bytes the current site was built from; it is removed before a swap and written
# after it, so a crash in between means a cold build next time, never a stale page.

BUILDER_PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


@dataclass(frozen=True)
class SiteManifest:
    fingerprint: str  # builder configuration, theme overrides, versions
    out_dir: str
    files: dict[str, str]  # staging path → sha256 of its bytes

    def to_json(self) -> str:
        data = {"fingerprint": self.fingerprint, "out_dir": self.out_dir, "files": self.files}
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digests(root: Path) -> dict[str, str]:
    """Relative POSIX path → sha256 of every file under ``root`` (empty when missing)."""
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): file_digest(p)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def builder_fingerprint(inputs: Sequence[Path]) -> str:
    """What every page depends on besides its own Markdown: files, package versions, the epoch."""
    digest = hashlib.sha256()
    for name in BUILDER_PACKAGES:
        try:
            digest.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            digest.update(f"{name}=-\0".encode())
    digest.update(f"epoch={os.environ.get('SOURCE_DATE_EPOCH', '')}\0".encode())
    for path in inputs:
        items = tree_digests(path) if path.is_dir() else {path.name: file_digest(path)}
        digest.update(json.dumps([str(path.resolve()), items], sort_keys=True).encode())
    return digest.hexdigest()


def read_manifest(path: Path | None) -> SiteManifest | None:
    if path is None or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return SiteManifest(str(data["fingerprint"]), str(data["out_dir"]), dict(data["files"]))
    except (ValueError, KeyError, TypeError):
        return None


def built_path(staged: str) -> str:
    """The site file MkDocs makes of a staging file (``use_directory_urls: false``)."""
    return staged.removesuffix(".md") + ".html" if staged.endswith(".md") else staged


def always_rendered(staged: str, nav: Collection[str] | None = None) -> bool:
    """The nav's pages, rendered on every build (MkDocs refuses a nav entry without its file).

    ``nav``: the pages named in the configuration's nav; without it every top-level page and
    section index (a superset: ``art20.md`` alone is 5 MB of Markdown at 10,000 records).
    """
    if staged == "404.md":  # every MkDocs run writes the theme's 404.html: ours must follow
        return True
    if nav is not None:
        return staged in nav
    parts = staged.split("/")
    return staged.endswith(".md") and (len(parts) == 1 or parts[1:] == ["index.md"])


NAV_BLOCK = re.compile(r"(?m)^nav:[ \t]*\n((?:(?:[ \t]+.*)?\n)*)")
NAV_ENTRY = re.compile(r"^\s*-\s*(?:[^:\n]+:\s*)?([^\s:'\"]+\.md)\s*$")


def nav_pages(config: Path) -> frozenset[str] | None:
    """The pages the ``nav:`` block of ``config`` names; None when it has no such block."""
    block = NAV_BLOCK.search(config.read_text(encoding="utf-8"))
    if block is None:
        return None
    pages = frozenset(m[1] for line in block[1].splitlines() if (m := NAV_ENTRY.match(line)))
    return pages or None


@dataclass(frozen=True)
class PartialPlan:
    render: list[str]  # staging files MkDocs renders now
    reuse: list[str]  # site files taken from the previous site


def plan_partial(
    previous: SiteManifest | None,
    current: SiteManifest,
    out_dir: Path,
    nav: Collection[str] | None = None,
) -> PartialPlan | None:
    """What a warm build renders and reuses, or None when it must build everything."""
    if previous is None or previous.fingerprint != current.fingerprint:
        return None
    if previous.out_dir != current.out_dir or not out_dir.is_dir():
        return None
    render, reuse = [], []
    for staged, digest in current.files.items():
        if previous.files.get(staged) == digest and not always_rendered(staged, nav):
            reuse.append(built_path(staged))
        else:
            render.append(staged)
    if not all((out_dir / path).is_file() for path in reuse):
        return None
    return PartialPlan(render, reuse)


def link_or_copy(source: Path, target: Path) -> None:
    """Hard link (nothing writes into a built page in place; steps replace files), else copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def partial_docs(
    docs_dir: Path, render: Sequence[str], into: Path, texts: Mapping[str, str] | None = None
) -> None:
    """A docs dir of ``render``: links to the staging files, or the given ``texts`` (probes)."""
    for staged in render:
        if texts is not None and staged in texts:
            (into / staged).parent.mkdir(parents=True, exist_ok=True)
            (into / staged).write_text(texts[staged], encoding="utf-8")
        else:
            link_or_copy(docs_dir / staged, into / staged)


# ---------------------------------------------------------------- two builder processes
#
# MkDocs renders one page after another in one process. With many record pages, a second
# process renders every other record page from its own docs dir of hard links (plus the nav
# pages, which the nav needs; its copies of them, of the theme assets and of 404.html are
# dropped), and its record pages are moved into the first process's site dir. A record page
# depends only on its own Markdown, the configuration and the theme (as for partial builds), so
# the merged site is byte for byte the one-process site (tests/test_build.py).

SPLIT_MIN_RECORDS = 400  # below this a second MkDocs start (~1.5 s) costs more than it saves
# Record pages from a shell (generator/builder/shell.py); False: MkDocs renders every record page.
SHELL_RECORD_PAGES = True

Callback = Callable[[], object]


def is_record_page(staged: str) -> bool:
    return staged.startswith("records/") and staged.endswith(".md")


def split_pages(
    files: Sequence[str],
    min_records: int = SPLIT_MIN_RECORDS,
    nav: Collection[str] | None = None,
) -> list[list[str]]:
    """The staging files each builder process renders: one group, or two when there are at
    least ``min_records`` record pages (the second: every other record page and the nav pages).
    """
    records = sorted(f for f in files if is_record_page(f))
    if len(records) < max(min_records, 2):
        return [list(files)]
    second = set(records[1::2])
    first = [f for f in files if f not in second]
    return [first, [*sorted(second), *(f for f in files if always_rendered(f, nav))]]


def move_pages(
    source: Path, target: Path, staged: Sequence[str], nav: Collection[str] | None = None
) -> None:
    """The built pages of ``staged`` (nav pages excepted) from ``source`` into ``target``."""
    for page in staged:
        if always_rendered(page, nav):
            continue
        built = built_path(page)
        (target / built).parent.mkdir(parents=True, exist_ok=True)
        os.replace(source / built, target / built)


def build_pages(
    config: Path,
    docs_dir: Path,
    new_dir: Path,
    files: Sequence[str] | None = None,
    *,
    split_from: int = SPLIT_MIN_RECORDS,
    beside: Callback | None = None,
    nav: Collection[str] | None = None,
    shells: bool | None = None,
) -> BuilderRun:
    """The pages of ``files`` of ``docs_dir`` (all when None) into ``new_dir``.

    Record pages a shell can render are filled into it (``shells``, default
    ``SHELL_RECORD_PAGES``); MkDocs renders the rest with one probe per kind of record page,
    in two processes when many record pages are left. ``beside`` is called before a single
    process starts (work that may share the cores with one MkDocs, not with two).
    """
    every = files if files is not None else sorted(_files_under(docs_dir))
    use_shells = SHELL_RECORD_PAGES if shells is None else shells
    records = [f for f in every if is_record_page(f)] if use_shells else []
    signatures = shell.read_signatures(docs_dir, records)
    probes = shell.plan_probes(signatures.values())
    texts = {path: shell.probe_source(signature) for signature, path in probes.items()}
    rendered = [f for f in every if f not in signatures]
    run = run_mkdocs(config, docs_dir, new_dir, [*rendered, *texts], texts,
                     whole=files is None, split_from=split_from, beside=beside, nav=nav)  # fmt: skip
    shells_found = shell.read_shells(new_dir, probes)
    shell.remove_probes(new_dir, probes.values())
    missed = shell.fill_pages(docs_dir, new_dir, signatures, shells_found)
    if missed:  # Markdown outside the subset, or no shell for its kind: MkDocs after all
        extra = [*missed, *(f for f in every if always_rendered(f, nav))]
        with tempfile.TemporaryDirectory(prefix=new_dir.name + "_", dir=new_dir.parent) as site:
            more = build_pages(config, docs_dir, Path(site), extra, shells=False, nav=nav,
                               split_from=split_from)  # fmt: skip
            move_pages(Path(site), new_dir, missed, nav)
        run = replace(run, output=run.output + more.output,
                      processes=run.processes + more.processes)  # fmt: skip
    return replace(run, partial=files is not None, filled=len(signatures) - len(missed))


def run_mkdocs(
    config: Path,
    docs_dir: Path,
    new_dir: Path,
    files: Sequence[str],
    texts: Mapping[str, str],
    *,
    whole: bool,
    split_from: int,
    beside: Callback | None,
    nav: Collection[str] | None,
) -> BuilderRun:
    """MkDocs over ``files`` (those in ``texts`` written from there, the rest linked from
    ``docs_dir``), in two processes when there are many record pages. ``whole``: ``files`` is
    all of ``docs_dir``, which one process then reads in place."""
    groups = split_pages(files, split_from, nav)
    if len(groups) == 1 and beside is not None:
        beside()
    if whole and not texts and len(groups) == 1:
        return run_builder(config, docs_dir, new_dir)
    with ExitStack() as stack:
        jobs = []
        for number, group in enumerate(groups):
            docs = Path(
                stack.enter_context(
                    tempfile.TemporaryDirectory(prefix="partial-docs-", dir=docs_dir.parent)
                )
            )
            partial_docs(docs_dir, group, docs, texts)
            site = (
                new_dir
                if number == 0
                else Path(
                    stack.enter_context(
                        tempfile.TemporaryDirectory(prefix=new_dir.name + "_", dir=new_dir.parent)
                    )
                )
            )
            jobs.append((docs, site))
        run = run_builders(config, jobs)
        for group, (_, site) in zip(groups[1:], jobs[1:], strict=True):
            move_pages(site, new_dir, group, nav)
    return BuilderRun(run.output, processes=len(groups))


def _files_under(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()]


def run_partial(
    config: Path,
    docs_dir: Path,
    out_dir: Path,
    new_dir: Path,
    plan: PartialPlan,
    beside: Callback | None = None,
    nav: Collection[str] | None = None,
) -> BuilderRun:
    """MkDocs over the changed pages only, then the unchanged pages of the previous site."""
    run = build_pages(config, docs_dir, new_dir, plan.render, beside=beside, nav=nav)
    for path in plan.reuse:
        if not (new_dir / path).exists():
            link_or_copy(out_dir / path, new_dir / path)
    return run


def render_into(
    config: Path,
    docs_dir: Path,
    out_dir: Path,
    new_dir: Path,
    plan: PartialPlan | None,
    beside: Callback | None = None,
    nav: Collection[str] | None = None,
) -> BuilderRun:
    """All pages, or with a plan only the changed ones (everything again if that fails)."""
    once = OnlyOnce(beside)
    if plan is not None:
        try:
            return run_partial(config, docs_dir, out_dir, new_dir, plan, once, nav)
        except SiteBuildError:  # a page the partial tree lacked: no guessing, build it all
            shutil.rmtree(new_dir)
            new_dir.mkdir()
    return build_pages(config, docs_dir, new_dir, beside=once, nav=nav)


class OnlyOnce:
    """A callback that runs at most once (a failed partial build is followed by a full one)."""

    def __init__(self, callback: Callback | None) -> None:
        self.callback = callback

    def __call__(self) -> None:
        callback, self.callback = self.callback, None
        if callback is not None:
            callback()


def build_site_dir(
    config: Path,
    docs_dir: Path,
    out_dir: Path,
    steps: list[SiteStep],
    *,
    manifest: Path | None = None,
    inputs: Sequence[Path] = (),
    digests: Mapping[str, str] | None = None,
    beside: Callback | None = None,
) -> BuilderRun:
    """Builder into a fresh directory, then each step on it (exports, Pagefind…), then swap.

    With ``manifest`` (a file under ``build/``) the build is incremental: only staging files
    whose bytes changed since the site in ``out_dir`` was built are rendered again, as long as
    ``config`` and ``inputs`` (theme overrides, hooks) are unchanged too. ``digests`` are the
    staging files' sha256 when the caller knows them (it just wrote them); else they are read.
    ``beside`` starts work to share the cores with MkDocs when MkDocs runs in one process.
    """
    current = None
    if manifest is not None:
        fingerprint = builder_fingerprint([config, *inputs])
        files = dict(sorted(digests.items())) if digests is not None else tree_digests(docs_dir)
        current = SiteManifest(fingerprint, str(out_dir.resolve()), files)
    nav = nav_pages(config)
    plan = plan_partial(read_manifest(manifest), current, out_dir, nav) if current else None
    with fresh_site_dir(out_dir) as new_dir:
        run = render_into(config, docs_dir, out_dir, new_dir, plan, beside, nav)
        for step in steps:
            step(new_dir)
        new_dir.chmod(0o755)
        if manifest is not None:
            manifest.unlink(missing_ok=True)
        swap_in(new_dir, out_dir)
    if manifest is not None and current is not None:
        write_atomically(manifest, current.to_json())
    return run


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
