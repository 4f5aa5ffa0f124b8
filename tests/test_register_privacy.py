"""No register text reaches a built site, its indexes, the kiosk bundle or the build cache.

The build never reads the register; this proves it end to end, with a register full of unique
personal data sitting next to the content while the public site and the kiosk bundle are built.
"""

from __future__ import annotations

import gzip
import shutil
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.core.settings import REPO_ROOT

SAMPLE = REPO_ROOT / "tests/fixtures/register"
CONTENT = REPO_ROOT / "content"
SECRETS = (
    "甄秘申请人乙",  # name
    "13700001357",  # mobile
    "zhenmi-pii@mail.example",  # e-mail
    "锦瑟巷九十九号",  # address
    "唯一标记申请内容七号",  # the information asked for
    "第三方甲乙丙唯一公司",  # the third party consulted
    "延期唯一理由文字",  # a reason
)
PII_APPLICATION = f"""\
id: 2025-0999
body: government
channel: 电子邮件
received: '2025-06-03'
received_basis: 双方确认之日
applicant:
  type: 自然人
  name: {SECRETS[0]}
  contact: {SECRETS[1]}，{SECRETS[2]}，青禾区{SECRETS[3]}
subject: {SECRETS[4]}
events:
- kind: consultation_sent
  date: '2025-06-05'
  party: {SECRETS[5]}
- kind: extension_approved
  date: '2025-06-20'
  reason: {SECRETS[6]}
"""


ZERO_WIDTH_SPACE = "\u200b".encode()


def readable_forms(data: bytes) -> list[bytes]:
    """The file's bytes, and its decompressed bytes when it is gzip or zlib (Pagefind's
    fragments and index chunks are gzipped, so a raw grep would not see inside them), each
    also without zero-width spaces (Pagefind writes one between the words it segmented)."""
    forms = [data]
    for inflate in (gzip.decompress, zlib.decompress):
        try:
            forms.append(inflate(data))
        except (OSError, zlib.error, EOFError):
            continue
    return forms + [form.replace(ZERO_WIDTH_SPACE, b"") for form in forms]


def needles(text: str) -> list[bytes]:
    escaped = text.encode("unicode_escape")  # JSON written with ensure_ascii
    return [text.encode("utf-8"), escaped, escaped.replace(b"\\u", b"\\\\u")]


def files_containing(root: Path, text: str) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            forms = readable_forms(path.read_bytes())
            if any(n in form for form in forms for n in needles(text)):
                found.append(path.relative_to(root).as_posix())
    return found


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("private")
    register = root / "register"
    shutil.copytree(SAMPLE, register)
    (register / "2025-0999.yml").write_text(PII_APPLICATION, encoding="utf-8")
    runner = CliRunner()
    env = {"CATALOG_TODAY": "2025-07-01"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        common = ["--content", str(CONTENT), "--register", "register"]
        for args in (
            ["requests", "show", "2025-0999", *common],
            ["requests", "due", *common],
            ["requests", "stats", "--year", "2025", *common],
            ["build", *common],
            ["build", "--kiosk", *common],
        ):
            result = runner.invoke(main, args, env=env)
            assert result.exit_code == 0, (args, result.output)
            if args[0] == "requests":
                assert not any(s in result.output for s in SECRETS[:4]), result.output
    return root


def test_the_scanner_sees_inside_every_output(workdir: Path) -> None:
    """A positive control: a record title is found in the site, the Whoosh index, the kiosk
    bundle and, through gzip, in Pagefind's fragments."""
    title = "青禾区人民政府关于印发"
    hits = files_containing(workdir, title)
    assert any(h.startswith("site/") and h.endswith(".html") for h in hits)
    assert any(h.startswith("site/pagefind/") and "/fragment/" in h for h in hits)
    assert any(h.startswith("build/search-index/") for h in hits)
    assert any(h.startswith("kiosk/") for h in hits)
    assert any(h.startswith("build/cache/") for h in hits)


@pytest.mark.parametrize("secret", SECRETS)
def test_no_register_text_in_any_built_byte(workdir: Path, secret: str) -> None:
    outside_register = [
        h for h in files_containing(workdir, secret) if not h.startswith("register/")
    ]
    assert outside_register == []
    assert files_containing(workdir / "register", secret) == ["2025-0999.yml"]  # it was there


def test_build_refuses_a_register_inside_the_content(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    shutil.copytree(SAMPLE, content / "register")
    result = CliRunner().invoke(
        main, ["build", "--content", str(content), "--register", str(content / "register"),
               "--out", str(tmp_path / "site")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "位于内容目录" in result.output and "私有仓库" in result.output
    assert not (tmp_path / "site").exists()
