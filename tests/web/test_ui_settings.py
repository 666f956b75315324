"""Admin settings in the workbench over a live server: policy YAML, macros, members, tokens."""

from __future__ import annotations

import re

import httpx

from tests.conftest import Tenant, client_for
from tests.web.conftest import csrf_of, sign_in


def test_agents_and_supervisors_get_403_on_every_admin_settings_page(
    base_url: str, tenant: Tenant
) -> None:
    for email in ("agent@a.test", "sup@a.test"):
        with sign_in(base_url, email) as client:
            token = csrf_of(client.get("/ui/inbox").text)
            for path in (
                "/ui/settings",
                "/ui/settings/macros",
                f"/ui/settings/shops/{tenant.shop_a}/policy",
            ):
                assert client.get(path).status_code == 403, (email, path)
            posts = {
                f"/ui/settings/shops/{tenant.shop_a}/policy": {"text": "return_window_days: 9"},
                "/ui/settings/users": {"email": "x@a.test", "shop": tenant.shop_a},
                "/ui/settings/tokens": {"name": "mine"},
                "/ui/settings/macros": {"shop": tenant.shop_a, "name": "x", "body": "hi"},
            }
            for path, data in posts.items():
                response = client.post(path, data={**data, "csrf_token": token})
                assert response.status_code == 403, (email, path)
            assert "Settings" not in client.get("/ui/inbox").text.split("<main")[0]
    with client_for(base_url, tenant.admin_a) as api:
        assert api.get(f"/api/v1/shops/{tenant.shop_a}/policy").json()["overrides"] == {}


def test_admin_edits_policy_overrides_with_problems_by_line_then_a_fix(
    base_url: str, tenant: Tenant
) -> None:
    url = f"/ui/settings/shops/{tenant.shop_a}/policy"
    with sign_in(base_url, "admin@a.test") as admin:
        page = admin.get(url)
        assert page.status_code == 200 and "Validate and save" in page.text
        token = csrf_of(page.text)
        bad_text = "return_window_days: 60\nfree_return_shipping: maybe\ncolour: red\n"
        bad = admin.post(url, data={"text": bad_text, "csrf_token": token})
        assert bad.status_code == 422
        assert "Line 2" in bad.text and "free_return_shipping" in bad.text
        assert "Line 3" in bad.text and "colour" in bad.text
        assert "free_return_shipping: maybe" in bad.text  # the text is kept for fixing
        broken = admin.post(url, data={"text": "return_window_days: [60\n", "csrf_token": token})
        assert broken.status_code == 422 and "Not saved" in broken.text
        good = admin.post(url, data={"text": "return_window_days: 60\n", "csrf_token": token})
        assert good.status_code == 303
        saved = admin.get(url).text
        assert "Policy overrides saved." in saved and "return_window_days: 60" in saved
        assert admin.post(url, data={"text": "return_window_days: 30"}).status_code == 403
        elsewhere = admin.get(f"/ui/settings/shops/{tenant.shop_b}/policy")
        assert elsewhere.status_code == 403
    # Stored through the same use case as the API: the API reads it back.
    with client_for(base_url, tenant.admin_a) as api:
        policy = api.get(f"/api/v1/shops/{tenant.shop_a}/policy").json()
    assert policy["overrides"] == {"return_window_days": 60}
    assert policy["effective"]["return_window_days"] == 60


def test_admin_creates_edits_and_deletes_macros_with_inline_errors(
    base_url: str, tenant: Tenant
) -> None:
    with sign_in(base_url, "admin@a.test") as admin:
        page = admin.get("/ui/settings/macros")
        assert page.status_code == 200 and "No macros yet" in page.text
        token = csrf_of(page.text)
        form = {
            "shop": tenant.shop_a,
            "name": "Where is it",
            "language": "en",
            "intent": "",
            "body": "Hi {customer.first_name}, your parcel is with {carrier}.",
            "csrf_token": token,
        }
        bad = admin.post("/ui/settings/macros", data=form)
        assert bad.status_code == 422
        assert re.search(r'id="macro-body-error"[^>]*>[^<]*carrier', bad.text), bad.text
        assert "your parcel is with {carrier}." in bad.text  # kept for fixing
        form["body"] = "Hi {customer.first_name}, your parcel is with {shipment.carrier}."
        assert admin.post("/ui/settings/macros", data=form).status_code == 303
        again = admin.post("/ui/settings/macros", data=form)  # same name and language
        assert again.status_code == 422 and 'id="macro-name-error"' in again.text
        wrong_intent = admin.post(
            "/ui/settings/macros", data={**form, "name": "Other", "intent": "refund_requset"}
        )
        assert wrong_intent.status_code == 422 and "refund_request" in wrong_intent.text
        with client_for(base_url, tenant.admin_a) as api:
            macros = api.get("/api/v1/macros").json()
        assert [m["name"] for m in macros] == ["Where is it"]
        macro_id = macros[0]["id"]
        edit = admin.get(f"/ui/settings/macros/{macro_id}")
        assert "Edit macro" in edit.text and "{shipment.carrier}" in edit.text
        changed = admin.post(
            f"/ui/settings/macros/{macro_id}",
            data={
                "name": "Where is my parcel",
                "language": "en",
                "intent": "order_status",
                "body": "Hi {customer.first_name}, it ships with {shipment.carrier}.",
                "csrf_token": token,
            },
        )
        assert changed.status_code == 303
        listed = admin.get("/ui/settings/macros").text
        assert "Where is my parcel" in listed and "Macro saved." in listed
        assert admin.post(f"/ui/settings/macros/{macro_id}/delete").status_code == 403
        gone = admin.post(f"/ui/settings/macros/{macro_id}/delete", data={"csrf_token": token})
        assert gone.status_code == 303
    with client_for(base_url, tenant.admin_a) as api:
        assert api.get("/api/v1/macros").json() == []
    with sign_in(base_url, "agent@b.test") as other:  # another shop's agent: no admin pages
        assert other.get(f"/ui/settings/macros/{macro_id}").status_code == 403


def test_admin_adds_a_member_and_creates_a_token_shown_once(base_url: str, tenant: Tenant) -> None:
    with sign_in(base_url, "admin@a.test") as admin:
        token = csrf_of(admin.get("/ui/settings").text)
        member = {
            "email": "Lin.Wei@a.test",
            "name": "林伟",
            "password": "long enough pass",
            "shop": tenant.shop_a,
            "role": "supervisor",
            "csrf_token": token,
        }
        assert admin.post("/ui/settings/users", data=member).status_code == 303
        page = admin.get("/ui/settings").text
        assert "Member added." in page and "lin.wei@a.test" in page
        duplicate = admin.post("/ui/settings/users", data=member)
        assert duplicate.status_code == 409 and "already exists" in duplicate.text
        foreign = admin.post(
            "/ui/settings/users", data={**member, "email": "x@b.test", "shop": tenant.shop_b}
        )
        assert foreign.status_code == 403 and "not an admin" in foreign.text
        short = admin.post(
            "/ui/settings/users", data={**member, "email": "y@a.test", "password": "short"}
        )
        assert short.status_code == 422 and "password" in short.text
        created = admin.post("/ui/settings/tokens", data={"name": "ERP", "csrf_token": token})
        assert created.status_code == 201
        found = re.search(r'data-testid="new-token">([^<]+)<', created.text)
        assert found
        secret = found.group(1)
        later = admin.get("/ui/settings").text
        assert secret not in later and secret[:12] in later  # listed by prefix only
    with sign_in(base_url, "lin.wei@a.test", "long enough pass") as new_member:
        assert new_member.get("/ui/approvals").status_code == 200  # a supervisor now
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {secret}"}) as api:
        me = api.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["email"] == "admin@a.test"
