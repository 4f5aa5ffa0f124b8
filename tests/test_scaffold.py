"""`catalog new` and `catalog new-department`: the files they create validate once their
placeholders are replaced (each placeholder left is an error), ids never repeat."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import main
from generator.content.load import split_front_matter
from generator.content.placeholders import PLACEHOLDERS
from generator.content.schema import default_schema_dir, load_schemas
from generator.content.validate import check_content
from generator.core.settings import Settings
from generator.workflow.scaffold import ScaffoldError, check_credit_code, next_record_id, slugify
from generator.workflow.scaffold_text import DEPARTMENT_HINTS, RECORD_HINTS
from tests.test_examples import EXAMPLES, lay_out

TODAY = "2026-11-28"
SCHEMAS = load_schemas(default_schema_dir())
TEMPLATE = "{org_code}/{year}-{seq:05d}"
EDU = "11339901MB1111111F"  # org_code of tests/examples/base/departments/edu


def catalog(args: list[str]) -> Result:
    return CliRunner().invoke(main, args, env={"CATALOG_TODAY": TODAY})


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the clean example content; the working directory is its parent."""
    lay_out(None, tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "content"


def problems(content: Path) -> list[tuple[str, int, str, str]]:
    result = check_content(Settings(content_dir=content, today=date.fromisoformat(TODAY)))
    return [(p.file, p.line, p.code, p.message) for p in result.problems]


def placeholders_left(content: Path) -> list[tuple[str, int]]:
    """Where a placeholder is still in a file (file, line), after checking that every other
    problem is none: a fresh scaffold fails only for its placeholders."""
    found = problems(content)
    assert {code for _, _, code, _ in found} <= {"placeholder"}, found
    return sorted((file, line) for file, line, _, _ in found)


def fill_in(path: Path) -> None:
    """What the editor does: every placeholder replaced by real text."""
    text = path.read_text(encoding="utf-8")
    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, "已按实际情况填写的内容。")
    path.write_text(text, encoding="utf-8")


def placeholder_lines(path: Path) -> list[tuple[str, int]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    return [
        (path.as_posix(), number)
        for number, line in enumerate(lines, 1)
        if any(p in line for p in PLACEHOLDERS)
    ]


def front_matter(path: Path) -> dict[str, object]:
    meta = split_front_matter(path.read_text(encoding="utf-8"), str(path)).meta
    assert meta is not None
    return dict(meta.data)


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("最低生活保障申请办事指南", "zui-di-sheng-huo-bao-zhang-shen-qing-ban-shi-zhi-nan"),
        ("2025年社区老年食堂建设项目", "2025-nian-she-qu-lao-nian-shi-tang-jian-she-xiang-mu"),
        (
            "关于印发《绿色出行“十四五”规划》的通知",
            "guan-yu-yin-fa-lv-se-chu-xing-shi-si-wu-gui-hua-de-tong-zhi",
        ),
        ("ＡＢＣ　１２３：Test", "abc-123-test"),
        ("！？……", "record"),
        ("区" * 80, "-".join(["qu"] * 20)),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert len(slugify(title)) <= 60


@pytest.mark.parametrize(
    ("ids", "expected"),
    [
        ([], f"{EDU}/2026-00001"),
        ([f"{EDU}/2026-00001", f"{EDU}/2026-00002"], f"{EDU}/2026-00003"),
        ([f"{EDU}/2026-00001", f"{EDU}/2026-00007"], f"{EDU}/2026-00008"),  # gaps stay gaps
        ([f"{EDU}/2025-00031", "11339901MB22222221/2026-00009"], f"{EDU}/2026-00001"),
        ([f"{EDU}/2026-00004", "not-an-id", f"{EDU}/2026-4"], f"{EDU}/2026-00005"),
    ],
)
def test_next_record_id(ids: list[str], expected: str) -> None:
    values: dict[str, str | int] = {
        "org_code": EDU,
        "year": 2026,
        "area_code": "339901",
        "department": "edu",
    }
    assert next_record_id(TEMPLATE, values, ids) == expected


def test_next_record_id_other_templates() -> None:
    values: dict[str, str | int] = {
        "org_code": EDU,
        "year": 2026,
        "area_code": "339901",
        "department": "edu",
    }
    ids = ["339901-edu-2026-0012", "339901-drc-2026-0040"]
    assert (
        next_record_id("{area_code}-{department}-{year}-{seq:04d}", values, ids)
        == "339901-edu-2026-0013"
    )
    with pytest.raises(ScaffoldError, match="seq"):
        next_record_id("{org_code}/{year}", values, [])


@pytest.mark.parametrize("category", list(SCHEMAS.categories))
def test_new_record_of_every_category_validates(tree: Path, category: str) -> None:
    result = catalog(
        [
            "new",
            "--department",
            "edu",
            "--category",
            category,
            "--title",
            "关于做好2026年义务教育阶段招生入学工作的通知",
        ]
    )
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path.parent == Path("content/departments/edu/2026")
    assert path.name == "guan-yu-zuo-hao-2026-nian-yi-wu-jiao-yu-jie-duan-zhao-sheng.md"
    data = front_matter(path)
    assert data["category"] == category
    assert data["id"] == f"{EDU}/2026-00001"
    assert data["written"] == data["published"] == TODAY
    block = SCHEMAS.categories[category].block
    assert {"service", "project", "contacts"} & set(data) == ({block} if block else set())
    left = placeholders_left(tree)
    assert left and left == placeholder_lines(path)  # every placeholder, in one run
    fill_in(path)
    assert problems(tree) == []


def test_new_record_text_explains_every_field(tree: Path) -> None:
    path = Path(
        catalog(
            ["new", "--department", "edu", "--category", "services", "--title", "入学登记"]
        ).stdout.strip()
    )
    text = path.read_text(encoding="utf-8")
    skipped = {"department", "pii_exemptions", "project", "contacts", "attachments"}
    for key, title in SCHEMAS.titles_by_kind["record"].items():
        if key.split(".")[0] not in skipped:
            assert f"# {title}（{key.rsplit('.', 1)[-1]}）：" in text, key
    assert "# 附件（attachments）：" in text


def test_every_schema_field_has_a_hint() -> None:
    assert set(SCHEMAS.titles_by_kind["record"]) <= set(RECORD_HINTS)
    assert set(SCHEMAS.titles_by_kind["department"]) <= set(DEPARTMENT_HINTS)


def test_next_free_id_and_slug(tree: Path) -> None:
    args = ["new", "--department", "edu", "--category", "policies", "--title", "招生方案"]
    first, second = catalog(args), catalog(args)
    paths = [Path(r.stdout.strip()) for r in (first, second)]
    assert [p.name for p in paths] == ["zhao-sheng-fang-an.md", "zhao-sheng-fang-an-2.md"]
    assert [front_matter(p)["id"] for p in paths] == [f"{EDU}/2026-00001", f"{EDU}/2026-00002"]
    # The base tree already uses 2025-00001 and 2025-00002 for edu.
    older = catalog([*args, "--written", "2025-11-20"])
    assert Path(older.stdout.strip()).parent.name == "2025"
    assert front_matter(Path(older.stdout.strip()))["id"] == f"{EDU}/2025-00003"
    # Published today, a year after it was written: valid, but late (Art. 26) — and said so.
    for path in (*paths, Path(older.stdout.strip())):
        fill_in(path)
    assert [code for _, _, code, _ in problems(tree)] == ["timeliness"]


def test_broken_records_still_own_their_ids(tree: Path) -> None:
    broken = tree / "departments/edu/2026/broken.md"
    broken.parent.mkdir(parents=True)
    broken.write_text(f'---\nid: "{EDU}/2026-00005"\ntitle: [\n---\n', encoding="utf-8")
    result = catalog(["new", "--department", "edu", "--category", "duties", "--title", "职责"])
    assert front_matter(Path(result.stdout.strip()))["id"] == f"{EDU}/2026-00006"


def test_title_is_kept_exactly(tree: Path) -> None:
    title = "关于\"测试\": #1 \\ 的'通知' - [草案] {x}"
    result = catalog(["new", "--department", "edu", "--category", "hot-topics", "--title", title])
    assert front_matter(Path(result.stdout.strip()))["title"] == title
    fill_in(Path(result.stdout.strip()))
    assert problems(tree) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["--department", "sport", "--category", "duties"],
            ["未知部门“sport”", "edu（测试区教育局）", "civil（测试区民政局）"],
        ),
        (
            ["--department", "edu", "--category", "policy"],
            ["未知目录分类“policy”", "policies（行政所依据的法律、法规、行政规章和政策）"],
        ),
        (["--department", "edu", "--category", "duties", "--written", "2026-12-01"], ["晚于今天"]),
        (["--department", "edu", "--category", "duties", "--title", "二行\n标题"], ["--title"]),
    ],
)
def test_new_usage_errors_exit_two(tree: Path, args: list[str], says: list[str]) -> None:
    if "--title" not in args:
        args = [*args, "--title", "标题"]
    result = catalog(["new", *args])
    assert result.exit_code == 2
    for text in says:
        assert text in result.output
    assert not (tree / "departments/edu/2026").exists()


def test_new_without_site_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "content").mkdir()
    result = catalog(["new", "--department", "edu", "--category", "duties", "--title", "标题"])
    assert result.exit_code == 2 and "site.yml" in result.output


DEPARTMENT = [
    "new-department",
    "sport",
    "--name",
    "测试区体育局",
    "--short-name",
    "区体育局",
    "--org-code",
    "11339901MB1C052935",
]


def test_new_department_validates(tree: Path) -> None:
    result = catalog(
        [
            *DEPARTMENT,
            "--head",
            "赵体强",
            "--phone",
            "0999-12345000",
            "--reviewer",
            "sport-a",
            "--reviewer",
            "sport-b",
        ]
    )
    assert result.exit_code == 0, result.output
    path = Path(result.stdout.strip())
    assert path == Path("content/departments/sport/department.yml")
    text = path.read_text(encoding="utf-8")
    for key, title in SCHEMAS.titles_by_kind["department"].items():
        leaf = key.rsplit(".", 1)[-1]
        if "." not in key:
            assert f"# {title}（{leaf}）：" in text, key
    assert '- "sport-a"' in text and 'head: "赵体强"' in text
    assert len(placeholders_left(tree)) == len(placeholder_lines(path)) == 2  # duties, address
    fill_in(path)
    assert problems(tree) == []
    record = catalog(["new", "--department", "sport", "--category", "duties", "--title", "职责"])
    assert front_matter(Path(record.stdout.strip()))["id"] == "11339901MB1C052935/2026-00001"
    fill_in(Path(record.stdout.strip()))
    assert problems(tree) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--org-code", "11339901MB1C052934"], "第 18 位校验码应为“5”，实际为“4”"),
        (["--org-code", "11339901mb1c052935"], "请改为“11339901MB1C052935”"),
        (["--org-code", "11339901MB1C05293"], "长度为 17 位"),
        (["--org-code", "11339901MO1C052935"], "不使用的字符 O"),
        (["--org-code", "11339901MB1111111F"], "已被部门“edu”使用"),
        (["--email", "not-an-email"], "email（电子邮箱）的格式不对"),
        (["--postcode", "33990"], "postcode（邮政编码）的格式不对"),
    ],
)
def test_new_department_refuses_bad_values(tree: Path, args: list[str], says: str) -> None:
    result = catalog([*DEPARTMENT, *args])
    assert result.exit_code == 2
    assert says in result.output
    assert not (tree / "departments/sport").exists()


@pytest.mark.parametrize("dept_id", ["Sport", "体育", "-x", "edu"])
def test_new_department_refuses_bad_or_taken_ids(tree: Path, dept_id: str) -> None:
    result = catalog(["new-department", dept_id, *DEPARTMENT[2:]])
    assert result.exit_code == 2


def test_check_credit_code_accepts_valid_codes() -> None:
    check_credit_code("11339901MB1C052935")
    check_credit_code(EDU)
    with pytest.raises(ScaffoldError):
        check_credit_code("11339901MB1C052936")


def test_examples_base_is_untouched() -> None:
    assert not (EXAMPLES / "base/departments/sport").exists()
