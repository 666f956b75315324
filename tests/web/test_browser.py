"""The workbench in Debian's Chromium, driven by Playwright through an agent's main flows.

One demo shop, one server and one browser serve the whole module; the tests run in file order
and each saves a screenshot under ``test-results/browser/``.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kefu.config import Settings
from kefu.core.clock import FrozenClock
from kefu.demo.load import DemoSummary, load_demo
from kefu.jobs.worker import Worker
from kefu.services import Services, build_services
from kefu.web.app import create_app
from tests.support.databases import fresh_sqlite
from tests.support.live import live_server
from tests.web.conftest import sign_in
from tests.web.fake_triager import FakeTriager

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian Chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
SHOTS = Path("test-results/browser")
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@dataclass
class Desk:
    services: Services
    url: str
    demo: DemoSummary
    browser: object


@contextmanager
def open_desk(template: Path, directory: Path, shots: Path) -> Iterator[Desk]:
    """The demo shop on a live server with Debian Chromium launched; screenshots go to ``shots``."""
    settings = Settings(database_url=fresh_sqlite(template, directory), data_dir=directory)
    clock = FrozenClock()
    services = build_services(settings, clock=clock, triager=FakeTriager())
    demo = load_demo(services=services, now=clock.now())
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    with live_server(create_app(services)) as url, sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        warm_up(url, demo)
        yield Desk(services=services, url=url, demo=demo, browser=browser)
        browser.close()
    services.engine.dispose()


@pytest.fixture(scope="module")
def desk(sqlite_template_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with open_desk(sqlite_template_path, tmp_path_factory.mktemp("browser"), SHOTS) as opened:
        yield opened


def warm_up(url: str, demo: DemoSummary) -> None:
    """Open one conversation before the clock-sensitive flows: the first draft builds the
    knowledge index, which can take longer than a click's timeout on a busy machine."""
    with sign_in(url, demo.admin_email, demo.admin_password) as client:
        first = re.search(r'data-id="([^"]+)"', client.get("/ui/inbox").text)
        assert first, "the demo inbox is empty"
        assert client.get(f"/ui/c/{first.group(1)}", timeout=120).status_code == 200


def signed_in_page(
    desk: Desk, viewport: dict[str, int] = DESKTOP, email: str | None = None
) -> sync_api.Page:
    context = desk.browser.new_context(viewport=viewport, locale="en-US")  # type: ignore[attr-defined]
    context.set_default_timeout(10_000)
    page: sync_api.Page = context.new_page()
    page.goto(desk.url + "/ui/inbox")
    page.get_by_label("Email").fill(email or desk.demo.admin_email)
    page.get_by_label("Password").fill(desk.demo.admin_password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/ui/inbox")
    return page


def shot(page: sync_api.Page, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full)


UNLABELLED = """() => Array.from(document.querySelectorAll('input, select, textarea, button'))
  .filter(el => el.type !== 'hidden' && !el.closest('[hidden]'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 80))"""


def unlabelled_controls(page: sync_api.Page) -> list[str]:
    found: list[str] = page.evaluate(UNLABELLED)
    return found


def no_sideways_scroll(page: sync_api.Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_sign_in_open_the_urgent_queue_and_move_with_the_keyboard(desk: Desk) -> None:
    page = signed_in_page(desk)
    page.get_by_role("link", name="Urgent").click()
    page.wait_for_url("**queue=urgent")
    priorities = [int(p) for p in page.locator("tr.row .prio").all_inner_texts()]
    assert priorities and all(p >= 70 for p in priorities)
    assert priorities == sorted(priorities, reverse=True)
    shot(page, "1-urgent-queue")
    page.keyboard.press("j")
    page.keyboard.press("j")
    second = page.locator("tr.row").nth(1)
    assert "selected" in (second.get_attribute("class") or "")
    second_id = second.get_attribute("data-id")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/ui/c/{second_id}")
    assert unlabelled_controls(page) == []
    page.go_back()
    page.keyboard.press("j")
    first_id = page.locator("tr.row.selected").get_attribute("data-id")
    page.keyboard.press("a")  # assign to me, without leaving the list
    sync_api.expect(page.locator("#live-status")).to_have_text("Assigned to you")
    mine = page.locator(f'tr.row[data-id="{first_id}"]')
    sync_api.expect(mine.locator("td").last).to_have_text("Admin")
    assert unlabelled_controls(page) == []
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search"
    assert no_sideways_scroll(page)
    page.context.close()


def test_chinese_conversation_triage_reply_delivery_and_resolve(desk: Desk) -> None:
    page = signed_in_page(desk)
    page.goto(desk.url + "/ui/inbox?queue=urgent&language=zh")
    page.locator("tr.row a.row-link").first.click()
    page.wait_for_url("**/ui/c/**")
    triage = page.locator("#triage")
    assert triage.get_by_test_id("intent").inner_text().strip()
    assert "anger" in triage.inner_text()  # the fake triager reads anger into 差评/投诉/！！
    assert page.locator("#thread .msg-inbound").count() >= 1
    editor = page.get_by_label("Reply to")
    assert editor.input_value().strip(), "the editor opens with Kefu's draft"
    editor.fill("亲，您的订单{order}已经发出啦，请耐心等待哦")
    status = page.locator("#lint-status")
    sync_api.expect(status).to_have_class("lint-status blocking")  # linted live, no reload
    assert page.locator("#lint-preview mark.lint-blocking").inner_text() == "{order}"
    shot(page, "2-chinese-conversation-lint")
    editor.fill("亲，非常抱歉给您添麻烦了，我这边马上帮您查一下物流，稍等哈")
    sync_api.expect(status).not_to_have_class("lint-status blocking")
    page.get_by_role("button", name="Send", exact=True).click()
    page.wait_for_url("**/ui/c/**")
    last = page.locator("#thread .msg-outbound").last
    assert "马上帮您查一下物流" in last.inner_text()
    assert last.get_by_test_id("delivery").inner_text() == "queued"
    assert Worker(desk.services).run_once() >= 1
    page.reload()
    assert (
        page.locator("#thread .msg-outbound").last.get_by_test_id("delivery").inner_text() == "sent"
    )
    page.get_by_label("Status").select_option("resolved")
    page.locator("form", has=page.get_by_label("Status")).get_by_role("button", name="Save").click()
    page.wait_for_url("**/ui/c/**")
    assert page.get_by_test_id("status").inner_text() == "resolved"
    shot(page, "3-replied-delivered-resolved", full=True)
    page.context.close()


def test_switch_the_interface_to_chinese(desk: Desk) -> None:
    page = signed_in_page(desk)
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**/ui/inbox")
    assert page.get_by_role("link", name="收件箱").is_visible()
    assert page.get_by_role("link", name="紧急").is_visible()
    assert "优先级" in page.locator("thead").inner_text()
    shot(page, "4-chinese-interface")
    page.goto(desk.url + "/ui/inbox?queue=open&shop=pinduoduo-cn&intent=refund_request")
    page.locator("tr.row a.row-link").first.click()
    page.wait_for_url("**/ui/c/**")
    assert page.get_by_role("heading", name="智能分析").is_visible()
    assert page.get_by_role("button", name="发送", exact=True).is_visible()
    shot(page, "4b-chinese-conversation", full=True)
    page.goto(desk.url + "/ui/inbox")
    page.get_by_role("button", name="EN").click()  # leave the shared admin as we found them
    page.wait_for_url("**/ui/inbox")
    assert page.get_by_role("link", name="Inbox").is_visible()
    page.context.close()


def test_a_second_agent_sees_a_new_message_arrive_live(desk: Desk) -> None:
    watcher = signed_in_page(desk)
    watcher.evaluate("window.kefuMarker = 'same page'")
    watcher.keyboard.press("j")  # a row stays selected across the live refresh...
    watcher.keyboard.press("/")
    watcher.keyboard.type("退款")  # ...while the agent is typing a search
    with httpx.Client(
        base_url=desk.url, headers={"Authorization": f"Bearer {desk.demo.api_token}"}
    ) as api:
        response = api.post(
            "/api/v1/messages/inbound",
            json={
                "shop": "pinduoduo-cn",
                "channel": "pinduoduo",
                "external_id": "live-1",
                "customer": {"name": "赵小雨", "external_id": "live-buyer-1"},
                "text": "在吗？我的订单到现在还没发货！！再不发我就给差评了",
            },
        )
    assert response.status_code == 201, response.text
    row = watcher.locator("tr.row", has_text="赵小雨")
    row.wait_for(state="visible", timeout=10_000)
    assert watcher.evaluate("window.kefuMarker") == "same page"  # no reload happened
    assert watcher.evaluate("document.activeElement.id") == "search"
    assert watcher.locator("#search").input_value() == "退款"
    shot(watcher, "5-live-update")
    row.locator("a.row-link").click()
    watcher.wait_for_url("**/ui/c/**")
    colleague = signed_in_page(desk, email="li.na@example.com")  # the demo team shares a password
    colleague.goto(watcher.url)
    warning = watcher.locator("#presence")
    # The watcher has heard her arrive, so its live stream is open before she types.
    sync_api.expect(warning).to_contain_text("李娜 is also viewing", timeout=10_000)
    colleague.get_by_label("Reply to").fill("亲，在的")
    sync_api.expect(warning).to_contain_text("李娜 is typing a reply", timeout=10_000)
    # A "viewing" that lands after the keystroke (a heartbeat, or the page's first announcement
    # overtaken on the wire) must not hide that she is typing.
    watcher.evaluate(
        """() => { const show = window.kefuPresence; window.kefuHeard = [];
                   window.kefuPresence = d => { window.kefuHeard.push(d.state); show(d); }; }"""
    )
    status = colleague.evaluate(
        """() => fetch(location.pathname + "/presence", {
            method: "POST", credentials: "same-origin",
            headers: {"X-Requested-With": "fetch", "X-CSRF-Token": document.body.dataset.csrf},
            body: new URLSearchParams({state: "viewing", csrf_token: document.body.dataset.csrf}),
        }).then(r => r.status)"""
    )
    assert status < 300, status
    for _ in range(100):  # wait_for_function evaluates a string, which the page's CSP forbids
        if watcher.evaluate("window.kefuHeard.includes('viewing')"):
            break
        watcher.wait_for_timeout(100)
    else:
        raise AssertionError("the watcher never heard the colleague's 'viewing'")
    assert "李娜 is typing a reply" in warning.inner_text()
    shot(watcher, "5b-collision-warning")
    colleague.context.close()
    watcher.context.close()


def test_read_and_reply_on_a_phone(desk: Desk) -> None:
    page = signed_in_page(desk, PHONE)
    assert no_sideways_scroll(page)
    shot(page, "6-phone-inbox")
    page.locator("tr.row a.row-link").first.click()
    page.wait_for_url("**/ui/c/**")
    assert no_sideways_scroll(page)
    page.get_by_label("Reply to").fill("Thanks for your patience, I am checking this now.")
    page.get_by_role("button", name="Add internal note").click()
    page.wait_for_url("**/ui/c/**")
    assert page.locator("#thread .msg-note").last.is_visible()
    shot(page, "7-phone-conversation", full=True)
    page.context.close()


def test_a_supervisor_approves_a_credit_above_the_agents_limit(desk: Desk) -> None:
    agent = signed_in_page(desk, email="li.na@example.com")
    agent.goto(desk.url + "/ui/inbox?shop=pinduoduo-cn&intent=refund_request")
    agent.locator("tr.row", has_text="物流三天没动了").locator("a.row-link").click()
    agent.wait_for_url("**/ui/c/**")
    form = agent.locator("form.remedy-form", has=agent.locator("#amount-goodwill_credit"))
    form.locator("#amount-goodwill_credit").fill("25")  # agents may give up to 20 on their own
    form.get_by_role("button").click()
    agent.wait_for_url("**/ui/c/**")
    sync_api.expect(agent.locator(".alert.ok")).to_contain_text("sent to a supervisor")
    agent.context.close()
    supervisor = signed_in_page(desk)
    supervisor.get_by_role("link", name="Approvals").click()
    request = supervisor.get_by_test_id("approval").filter(has_text="25.00 CNY")
    sync_api.expect(request).to_contain_text("li.na@example.com")
    shot(supervisor, "8-approval-queue")
    request.get_by_label("Note").fill("老客户，同意补偿")
    request.get_by_role("button", name="Approve").click()
    supervisor.wait_for_url("**/ui/approvals")
    sync_api.expect(supervisor.locator(".alert.ok")).to_contain_text("Approved")
    supervisor.context.close()
