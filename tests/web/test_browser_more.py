"""More workbench flows in Debian's Chromium: macros by "/", admin settings.

A separate module (own demo shop, server and browser) so the core flows in ``test_browser.py``
keep their speed; screenshots go to ``test-results/browser-more/``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import client_for
from tests.web.test_browser import CHROMIUM, DESKTOP, PHONE, Desk, no_sideways_scroll, open_desk

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
SHOTS = Path("test-results/browser-more")
CN_SHOP = "pinduoduo-cn"


@pytest.fixture(scope="module")
def desk(sqlite_template_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with open_desk(sqlite_template_path, tmp_path_factory.mktemp("browser-more"), SHOTS) as opened:
        yield opened


def open_page(desk: Desk) -> sync_api.Page:
    context = desk.browser.new_context(viewport=DESKTOP, locale="en-US")  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    page: sync_api.Page = context.new_page()
    page.goto(desk.url + "/ui/inbox")
    page.get_by_label("Email").fill(desk.demo.admin_email)
    page.get_by_label("Password").fill(desk.demo.admin_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/ui/inbox")
    return page


def shot(page: sync_api.Page, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


def add_macro(desk: Desk, **fields: str) -> None:
    with client_for(desk.url, desk.demo.api_token) as api:
        response = api.post("/api/v1/macros", json={"shop": CN_SHOP, **fields})
    assert response.status_code == 201, response.text


def test_type_slash_to_insert_a_macro_then_send(desk: Desk) -> None:
    add_macro(
        desk,
        name="Late parcel (EN)",
        language="en",
        body="Hello, this is {shop.name}. I am checking your parcel right now.",
    )
    add_macro(
        desk,
        name="物流查询",
        language="zh",
        body="亲，这里是{shop.name}，我马上帮您查一下物流，麻烦您稍等哈",
    )
    add_macro(
        desk,
        name="催发货安抚",
        language="zh",
        body="亲，让您久等了，非常抱歉！仓库今天优先给您安排发出哦",
    )
    page = open_page(desk)
    page.goto(desk.url + f"/ui/inbox?queue=open&shop={CN_SHOP}&language=zh")
    page.locator("tr.row a.row-link").first.click()
    page.wait_for_url("**/ui/c/**")
    editor = page.get_by_label("Reply to")
    editor.fill("")
    editor.type("/")
    menu = page.get_by_role("listbox", name="Macros")
    sync_api.expect(menu).to_be_visible()
    options = menu.get_by_role("option")
    sync_api.expect(options).to_have_count(3)
    # The conversation is in Chinese: Chinese macros first, the English one last.
    assert "Late parcel (EN)" in options.last.inner_text()
    editor.type("物流")
    sync_api.expect(options).to_have_count(1)
    assert editor.get_attribute("aria-expanded") == "true"
    shot(page, "1-macro-picker")
    page.keyboard.press("Enter")
    sync_api.expect(menu).to_be_hidden()
    sync_api.expect(editor).to_have_value(
        "亲，这里是乐家优品生活馆，我马上帮您查一下物流，麻烦您稍等哈"
    )
    # The live lint ran on the inserted text (its preview shows what was checked).
    sync_api.expect(page.locator("#lint-preview")).to_contain_text("乐家优品生活馆")
    sync_api.expect(page.locator("#lint-status")).to_have_class("lint-status clean")
    # Escape closes the picker and leaves what was typed.
    editor.press("End")
    editor.type(" /催")
    sync_api.expect(options).to_have_count(1)
    page.keyboard.press("Escape")
    sync_api.expect(menu).to_be_hidden()
    assert editor.input_value().endswith(" /催")
    editor.press("Backspace")
    editor.press("Backspace")
    editor.press("Backspace")
    shot(page, "2-macro-inserted-linted")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url("**/ui/c/**")
    assert "我马上帮您查一下物流" in page.locator("#thread .msg-outbound").last.inner_text()
    page.context.close()


def test_admin_edits_a_policy_override_with_an_error_then_a_fix(desk: Desk) -> None:
    page = open_page(desk)
    page.get_by_role("link", name="Settings").click()
    page.wait_for_url("**/ui/settings")
    page.get_by_role("link", name="Edit policy overrides").first.click()
    page.wait_for_url("**/policy")
    editor = page.get_by_label("Overrides (YAML)")
    editor.fill("return_window_days: 45\nfree_return_shipping: maybe\n")
    page.get_by_role("button", name="Validate and save").click()
    problems = page.get_by_role("alert")
    sync_api.expect(problems).to_contain_text("Line 2")
    sync_api.expect(problems).to_contain_text("free_return_shipping")
    assert editor.get_attribute("aria-invalid") == "true"
    assert "maybe" in editor.input_value()  # kept for fixing
    shot(page, "3-policy-error-by-line", full=True)
    editor.fill("return_window_days: 45\nfree_return_shipping: true\n")
    page.get_by_role("button", name="Validate and save").click()
    sync_api.expect(page.get_by_role("status")).to_contain_text("Policy overrides saved.")
    assert page.get_by_role("alert").count() == 0
    page.get_by_text("Terms in force now").click()
    sync_api.expect(page.locator("pre.code-view")).to_contain_text("return_window_days: 45")
    shot(page, "4-policy-saved", full=True)
    page.set_viewport_size(PHONE)
    page.goto(desk.url + "/ui/settings/macros")
    assert no_sideways_scroll(page)
    shot(page, "4b-macros-settings-phone", full=True)
    page.context.close()


def test_search_the_knowledge_base_and_read_an_article(desk: Desk) -> None:
    page = open_page(desk)
    page.get_by_role("link", name="Knowledge").click()
    page.wait_for_url("**/ui/kb")
    page.get_by_label("Search the knowledge base").fill("退货 运费")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/ui/kb?q=**")
    hits = page.locator("ol.kb-hits > li")
    assert hits.count() >= 1
    assert hits.first.locator("mark").count() >= 1  # matched words are marked in the snippet
    shot(page, "5-knowledge-search", full=True)
    title = hits.first.locator("a strong").inner_text()
    hits.first.locator("a").click()
    page.wait_for_url("**/ui/kb/**")
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_test_id("article-body").inner_text().strip()
    assert page.get_by_role("heading", name="Version history").is_visible()
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Text (Markdown", exact=False).fill("亲，**七天无理由**退货哦\n- 先联系客服")
    page.get_by_role("button", name="Preview").click()
    body = page.get_by_test_id("article-body")
    sync_api.expect(body.locator("strong")).to_have_text("七天无理由")
    sync_api.expect(body.locator("li")).to_have_text("先联系客服")
    shot(page, "6-knowledge-preview", full=True)
    page.context.close()
