"""Shared pytest options."""

from __future__ import annotations

import os

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite golden files (tests/expected/…) from the current output",
    )


def pytest_configure(config: pytest.Config) -> None:
    # Builds in tests write the print editions as HTML only: WeasyPrint would add seconds to
    # every build. tests/test_print_edition.py converts them to PDF itself.
    os.environ.setdefault("CATALOG_PRINT_PDF", "0")
    config.addinivalue_line(
        "markers", "browser: drives Chromium through Playwright (tests/browser/); runs in make test"
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: while Playwright's session is open its event loop runs in this
    thread, and code under test that calls ``asyncio.run`` (Pagefind) would fail."""
    items.sort(key=lambda item: "browser" in item.path.parent.parts)


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens"))
