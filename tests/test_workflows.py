"""The department workflow files: CI workflows, pre-commit hooks, VS Code settings, the guide.

Everything here is checked against the real program: every `catalog …` command a workflow, hook
or task runs must exist with the options it passes, and every error line quoted in the
contributor guide must be what `catalog validate` prints today.
"""

from __future__ import annotations

import json
import re
import shlex
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from generator.content.report import format_text
from generator.content.schema import default_schema_dir, load_schemas
from generator.content.validate import check_content
from generator.core.settings import REPO_ROOT, Settings
from tests.test_examples import EXAMPLES, lay_out

WORKFLOWS = [
    REPO_ROOT / ".github/workflows/catalog.yml",
    REPO_ROOT / ".gitea/workflows/catalog.yml",
]
PUBLISH = [
    REPO_ROOT / ".github/workflows/publish.yml",
    REPO_ROOT / ".gitea/workflows/publish.yml",
]
PRE_COMMIT = [REPO_ROOT / ".pre-commit-config.yaml", REPO_ROOT / ".pre-commit-hooks.yaml"]
GUIDE = REPO_ROOT / "CONTRIBUTING.md"
SCHEMAS = load_schemas(default_schema_dir())
SHELL_OPERATORS = {">", ">>", "<", "|", "||", "&&", ";", "2>", "2>&1"}


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for job in workflow["jobs"].values():
        yield from job["steps"]


def catalog_commands(script: str) -> Iterator[tuple[str, list[str]]]:
    """(subcommand, options) of every `catalog …` call in a shell script."""
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        for index, word in enumerate(words):
            if word == "catalog" and index + 1 < len(words):
                options = []
                for arg in words[index + 2 :]:
                    if arg in SHELL_OPERATORS:
                        break
                    if arg.startswith("--"):
                        options.append(arg.split("=", 1)[0])
                yield words[index + 1], options


def all_commands() -> list[tuple[str, str, list[str]]]:
    found = []
    for path in [*WORKFLOWS, *PUBLISH]:
        for step in steps(load(path)):
            found += [
                (path.relative_to(REPO_ROOT).as_posix(), cmd, opts)
                for cmd, opts in catalog_commands(step.get("run", ""))
            ]
    for path in PRE_COMMIT:
        data = load(path)
        hooks = data if isinstance(data, list) else [h for r in data["repos"] for h in r["hooks"]]
        found += [
            (path.name, cmd, opts)
            for h in hooks
            for cmd, opts in catalog_commands(h.get("entry", ""))
        ]
    tasks = json.loads((REPO_ROOT / ".vscode/tasks.json").read_text(encoding="utf-8"))["tasks"]
    for task in tasks:
        if task["command"].endswith("/catalog"):
            found.append(
                ("tasks.json", task["args"][0], [a for a in task["args"] if a.startswith("--")])
            )
    return found


@pytest.mark.parametrize("path", [*WORKFLOWS, *PUBLISH, *PRE_COMMIT], ids=str)
def test_files_are_valid_yaml(path: Path) -> None:
    assert load(path)


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.parent.parent.name)
def test_workflow_runs_on_pull_requests(path: Path) -> None:
    workflow = load(path)
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    uses = {step["uses"].split("@")[0]: step for step in steps(workflow) if "uses" in step}
    assert uses["actions/checkout"]["with"]["fetch-depth"] == 0
    assert uses["actions/setup-python"]["with"]["python-version"] == "3.11"
    runs = "\n".join(step.get("run", "") for step in steps(workflow))
    assert "pip install -e ." in runs
    assert (
        'catalog validate --changed-since "origin/$BASE_REF"' in runs
        or 'catalog validate --format github --changed-since "origin/$BASE_REF"' in runs
    )
    assert "catalog validate --format junit > validate.xml" in runs
    assert "catalog build --out site" in runs
    job = next(iter(workflow["jobs"].values()))
    assert job["env"]["BASE_REF"] == "${{ github.base_ref }}"
    uploads = [
        step["with"]["path"]
        for step in steps(workflow)
        if step.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert uploads == ["validate.xml", "site"]


def test_github_annotations_and_gitea_plain_text() -> None:
    github, gitea = ("\n".join(s.get("run", "") for s in steps(load(p))) for p in WORKFLOWS)
    assert "--format github" in github
    assert "--format github" not in gitea  # Gitea/Forgejo ignore annotations


@pytest.mark.parametrize(
    ("where", "command", "options"), all_commands(), ids=lambda x: x if isinstance(x, str) else None
)
def test_every_command_run_exists(where: str, command: str, options: list[str]) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, f"{where}: catalog {command} does not exist"
    for option in options:
        assert re.search(rf"(^|\s|,){re.escape(option)}\b", result.output), (
            f"{where}: catalog {command} has no option {option}"
        )


def test_commands_were_found() -> None:
    assert {command for _, command, _ in all_commands()} >= {
        "validate",
        "build",
        "codeowners",
        "new",
        "clean-attachments",
        "pages-changed",
        "fix",
    }


def test_pre_commit_hooks_validate_changed_content() -> None:
    manifest = load(REPO_ROOT / ".pre-commit-hooks.yaml")
    local = next(
        r for r in load(REPO_ROOT / ".pre-commit-config.yaml")["repos"] if r["repo"] == "local"
    )
    for hook in (manifest[0], local["hooks"][0]):
        assert hook["id"] == "catalog-validate"
        assert hook["entry"] == "catalog validate --changed-since HEAD"
        assert hook["pass_filenames"] is False
        assert hook["files"] == "^content/"


def test_pull_request_templates_carry_the_review_checklist() -> None:
    github = (REPO_ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert (REPO_ROOT / ".gitea/pull_request_template.md").read_text(encoding="utf-8") == github
    for item in (
        "不涉及国家秘密",
        "第十七条",
        "不含个人信息",
        "附件已清除元数据",
        "时效",
        "catalog validate",
    ):
        assert item in github


# ---- VS Code -----------------------------------------------------------------------------


def test_vscode_maps_the_editor_schemas() -> None:
    settings = json.loads((REPO_ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    assert mapping == {
        "./catalog_schema/site.schema.json": ["content/site.yml"],
        "./catalog_schema/department.schema.json": ["content/departments/*/department.yml"],
    }
    for schema, globs in mapping.items():
        assert (REPO_ROOT / schema).is_file()
        for pattern in globs:
            assert list(REPO_ROOT.glob(pattern)), pattern
    extensions = json.loads((REPO_ROOT / ".vscode/extensions.json").read_text(encoding="utf-8"))
    assert extensions["recommendations"] == ["redhat.vscode-yaml"]


def vscode_regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)  # VS Code uses JavaScript regexps; these use the common subset


def test_vscode_problem_matchers_read_validator_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lay_out(EXAMPLES / "invalid" / "doc-number", tmp_path)
    (tmp_path / "content/departments/edu/2025/docno.md").write_text(
        "---\nid: x\n---\n", encoding="utf-8"
    )  # a schema error next to the doc-number warning
    monkeypatch.chdir(tmp_path)
    result = check_content(Settings(content_dir=Path("content"), today=date(2026, 11, 28)))
    output = format_text(result.problems, result.record_count).splitlines()
    tasks = json.loads((REPO_ROOT / ".vscode/tasks.json").read_text(encoding="utf-8"))["tasks"]
    build = next(t for t in tasks if t.get("group", {}).get("isDefault"))
    assert build["args"] == ["validate"]
    seen = []
    for matcher in build["problemMatcher"]:
        pattern = matcher["pattern"]
        for line in output:
            match = vscode_regex(pattern["regexp"]).match(line)
            if match:
                seen.append(
                    (
                        matcher["severity"],
                        match[pattern["file"]],
                        int(match[pattern["line"]]),
                        match[pattern["code"]],
                    )
                )
    expected = {(p.severity.value, p.file, p.line, p.code) for p in result.problems}
    assert set(seen) == expected and len(seen) == len(result.problems)
    assert {s for s, *_ in seen} == {"error", "warning"}


def test_vscode_new_record_task_offers_every_category() -> None:
    document = json.loads((REPO_ROOT / ".vscode/tasks.json").read_text(encoding="utf-8"))
    category = next(i for i in document["inputs"] if i["id"] == "category")
    assert [o["value"] for o in category["options"]] == list(SCHEMAS.categories)


# ---- the contributor guide -----------------------------------------------------------------


def test_guide_is_published_as_a_page() -> None:
    from generator.pages.plan import plan_contributing

    [page] = plan_contributing(GUIDE.read_text(encoding="utf-8"))
    assert page.path == "contribute.md"
    assert page.context["markdown"] == GUIDE.read_text(encoding="utf-8")


def table_rows(text: str) -> set[tuple[str, str]]:
    """(`key`, Chinese name) of every Markdown table row of the form | `key` | 名称 | … |."""
    rows = re.findall(r"^\| `([a-z0-9_.\[\]-]+)` \| ([^|]+?) \|", text, re.MULTILINE)
    return {(key.replace("[]", ""), name) for key, name in rows}


@pytest.mark.parametrize("kind", ["record", "department"])
def test_guide_tables_name_every_field(kind: str) -> None:
    rows = table_rows(GUIDE.read_text(encoding="utf-8"))
    assert set(SCHEMAS.titles_by_kind[kind].items()) <= rows


def test_guide_lists_every_category() -> None:
    rows = table_rows(GUIDE.read_text(encoding="utf-8"))
    assert {(c.id, c.name) for c in SCHEMAS.categories.values()} <= rows


def validator_lines() -> set[str]:
    """Every line `catalog validate` prints for the invalid examples, plus an attachment with
    author metadata (the guide quotes these lines, so they must stay true)."""
    lines: set[str] = set()
    cases: list[Path | None] = [*sorted((EXAMPLES / "invalid").iterdir()), None]
    for case in cases:
        with tempfile.TemporaryDirectory() as folder:
            root = Path(folder)
            lay_out(case, root)
            if case is None:
                pdf = pikepdf.new()
                pdf.add_blank_page()
                with pdf.open_metadata(set_pikepdf_as_editor=False) as xmp:
                    xmp["dc:creator"] = ["王文明"]
                pdf.docinfo["/Author"] = "王文明"
                pdf.docinfo["/Creator"] = "Microsoft® Word 2016"
                pdf.save(root / "content/departments/edu/2025/files/入学登记表.pdf")
            result = CliRunner().invoke(
                main, ["validate", str(root / "content")], env={"CATALOG_TODAY": "2026-11-28"}
            )
            lines |= {
                line.replace(f"{root.as_posix()}/", "") for line in result.stdout.splitlines()
            }
    return lines


def test_guide_quotes_real_messages() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    quoted = [
        line
        for block in re.findall(r"```text\n(.*?)```", text, re.DOTALL)
        for line in block.splitlines()
    ]
    assert len(quoted) >= 20
    real = validator_lines()
    missing = [line for line in quoted if line not in real]
    assert not missing, "\n".join(missing)
    codes = {re.search(r"\[([a-z-]+)\]", line)[1] for line in quoted}  # type: ignore[index]
    assert codes >= {
        "yaml-syntax",
        "schema",
        "invalid-date",
        "date-order",
        "timeliness",
        "id-format",
        "duplicate-id",
        "unknown-reference",
        "doc-number",
        "missing-attachment",
        "attachment-metadata",
        "broken-link",
        "pii",
        "unsafe-html",
        "encoding",
    }


def test_guide_commands_exist() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    commands = set()
    for block in re.findall(r"```bash\n(.*?)```", text, re.DOTALL):
        for command, options in catalog_commands(block.replace("\\\n", " ")):
            commands.add(command)
            help_text = CliRunner().invoke(main, [command, "--help"]).output
            for option in options:
                assert option in help_text, (command, option)
    assert commands >= {"new", "validate", "clean-attachments", "new-department", "codeowners"}
