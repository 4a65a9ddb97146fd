"""The widget's tests run against `flowyte serve --demo`, as a person would: the core, the
gateway, the demo Shopify store and the widget frontend (with the demo storefront), each a
real process. Browsers are Debian's Chromium (make apt-deps), driven by Playwright."""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.serving import REPO, clean_env, serve

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "artifacts" / "widget"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"


@dataclass
class Demo:
    storefront: str
    inbox: str
    widget: str  # the widget frontend's origin
    api_key: str
    key: str  # the storefront's publishable key
    grpc: str  # the core
    api: str  # the REST gateway, ending in /api/v1


@pytest.fixture(scope="package")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    data = tmp_path_factory.mktemp("widget") / "data"
    with serve(data, clean_env(), demo=True) as served:
        urls = served.urls
        assert "storefront" in urls, served.output()
        api_key = json.loads((data / "demo.json").read_text())["apiKey"]
        with urllib.request.urlopen(urls["storefront"], timeout=10) as page:
            html = page.read().decode()
        key = html.split('data-flowyte-key="')[1].split('"')[0]
        yield Demo(
            urls["storefront"],
            urls["inbox"],
            urls["inbox"].removesuffix("/inbox"),
            api_key,
            key,
            urls["grpc"],
            urls["api"],
        )


@pytest.fixture
def browser() -> Iterator[Any]:
    """Per test: sync Playwright keeps an event loop running while it is open, which the
    package's asyncio tests (aiohttp clients) cannot share."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.fail("Chromium is missing: `make apt-deps` installs it (APT_PACKAGES)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield launched
        launched.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
