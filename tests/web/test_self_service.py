"""Self-service accounts through the pages: sign-up under each policy, invitations bound to
their address, members and the last owner, organization registration and approval,
password change and reset by one-time link, and API tokens with expiry and last use."""

from __future__ import annotations

import re
from datetime import timedelta
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from laborcommons.access.models import ApiToken, Membership, OneTimeLink, User
from laborcommons.catalog.models import Organization
from laborcommons.core.db import unit_of_work, utcnow
from laborcommons.core.node import Node
from tests.factories import Member, make_dataset, make_member, make_org
from tests.web.steps import csrf_from, sign_in

PASSWORD = "a long enough password"
INVITE = re.compile(r'id="invitation-link">[^<]*(/invitations/[\w-]+)<')
RESET = re.compile(r'id="reset-link">[^<]*(/password-reset/[\w-]+)<')
NEW_TOKEN = re.compile(r'id="new-token">(lct_[\w-]+)<')


def post(client: TestClient, path: str, form_page: str, **data: Any) -> httpx.Response:
    """Submit a form as a browser would: with the CSRF token of the page showing it."""
    token = csrf_from(client, form_page)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def browser(client: TestClient) -> TestClient:
    return TestClient(client.app)


def sign_up(client: TestClient, email: str, invitation: str = "") -> httpx.Response:
    """The session's CSRF token comes from /login: a closed node's /signup has no form."""
    return post(
        client, "/signup", "/login", email=email, password=PASSWORD, name="", invitation=invitation
    )


def invite(client: TestClient, slug: str, email: str, role: str = "editor") -> str:
    page = f"/organizations/{slug}/members"
    response = post(client, page, page, email=email, role=role)
    assert response.status_code == 200, response.text
    match = INVITE.search(response.text)
    assert match, "no invitation link shown without SMTP"
    return match.group(1)


def role_of(node: Node, email: str, slug: str) -> str | None:
    with unit_of_work(node.sessions) as session:
        return session.scalar(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(User.email == email, Organization.slug == slug)
        )


def test_signup_follows_the_node_policy(client: TestClient, node: Node) -> None:
    node.settings.signup = "invitation"
    refused = sign_up(client, "new@example.org")
    assert refused.status_code == 422
    assert "by invitation only" in refused.text
    node.settings.signup = "closed"
    assert "does not take sign-ups" in client.get("/signup").text
    assert sign_up(client, "new@example.org").status_code == 422
    node.settings.signup = "open"
    created = sign_up(client, "New@Example.org")
    assert created.status_code == 303
    assert created.headers["location"] == "/account"
    assert "new@example.org" in client.get("/account").text  # signed in straight away
    again = sign_up(browser(client), "new@example.org")
    assert again.status_code == 422
    assert "already exists" in again.text
    with unit_of_work(node.sessions) as session:
        user = session.scalars(select(User).where(User.email == "new@example.org")).one()
        assert user.password_hash and PASSWORD not in user.password_hash
        assert not user.is_admin


def test_short_password_is_refused_next_to_its_field(client: TestClient, node: Node) -> None:
    node.settings.signup = "open"
    assert 'name="password"' in client.get("/signup").text
    response = post(client, "/signup", "/signup", email="a@example.org", password="short")
    assert response.status_code == 422
    assert 'id="password-error"' in response.text
    assert 'aria-invalid="true" aria-describedby="password-error"' in response.text


def test_register_organization_and_edit_its_profile(client: TestClient, node: Node) -> None:
    owner = make_member(node, "founder@example.org")
    sign_in(client, owner)
    assert client.get("/organizations/new").status_code == 200
    bad = post(client, "/organizations/new", "/organizations/new", slug="Bad Slug", name="X")
    assert bad.status_code == 422
    assert 'id="slug-error"' in bad.text and 'id="archetype-error"' in bad.text
    form = {
        "slug": "river-union",
        "name": "River Union",
        "archetype": "advocate",
        "countries": "bd, KH",
        "website": "https://river.example.org",
        "data_types": ["working-conditions", "violations"],
        "has_api": "on",
        "formats": "CSV, XLSX",
        "public_summary": "Wage aggregates.",
    }
    created = post(client, "/organizations/new", "/organizations/new", **form)
    assert created.status_code == 303
    assert created.headers["location"] == "/organizations/river-union"
    assert role_of(node, "founder@example.org", "river-union") == "owner"
    shown = client.get("/api/v1/organizations/river-union").json()
    assert shown["countries"] == ["BD", "KH"]
    assert shown["data_types"] == ["working-conditions", "violations"]
    assert shown["has_api"] is True and shown["formats"] == ["CSV", "XLSX"]
    taken = post(client, "/organizations/new", "/organizations/new", **form)
    assert taken.status_code == 422 and 'id="slug-error"' in taken.text

    edit = "/organizations/river-union/edit"
    saved = post(
        client, edit, edit, name="River Workers Union", archetype="worker-voice", countries="VN"
    )
    assert saved.status_code == 303
    shown = client.get("/api/v1/organizations/river-union").json()
    assert (shown["name"], shown["archetype"], shown["countries"]) == (
        "River Workers Union",
        "worker-voice",
        ["VN"],
    )
    stranger = browser(client)
    sign_in(stranger, make_member(node, "stranger@example.org"))
    assert stranger.get(edit).status_code == 403
    assert browser(client).get(edit).status_code == 401


def test_approval_keeps_a_new_organization_out_of_the_registry(
    client: TestClient, node: Node
) -> None:
    node.settings.require_org_approval = True
    sign_in(client, make_member(node, "founder@example.org"))
    form = {"slug": "new-hub", "name": "New Hub", "archetype": "data-intelligence-hub"}
    assert post(client, "/organizations/new", "/organizations/new", **form).status_code == 303
    assert "Pending" in client.get("/organizations/new-hub").text  # its owner sees it
    anonymous = browser(client)
    assert anonymous.get("/organizations/new-hub").status_code == 404
    assert anonymous.get("/api/v1/organizations/new-hub").status_code == 404
    slugs = [o["slug"] for o in anonymous.get("/api/v1/organizations").json()["items"]]
    assert "new-hub" not in slugs
    ckan = "/api/3/action/organization_show"
    hidden, missing = (anonymous.get(ckan, params={"id": s}) for s in ("new-hub", "no-hub"))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace("new-hub", "no-hub") == missing.text
    assert "new-hub" not in anonymous.get("/sitemap.xml").text

    admin = browser(client)
    sign_in(admin, make_member(node, "admin@node.example", admin=True))
    assert "New Hub" in admin.get("/admin/organizations").text
    approve = "/admin/organizations/new-hub/approve"
    assert post(admin, approve, "/admin/organizations").status_code == 303
    assert anonymous.get("/organizations/new-hub").status_code == 200
    assert browser(client).get("/admin/organizations").status_code == 401


def test_invited_colleague_signs_up_and_joins(client: TestClient, node: Node) -> None:
    """Invitation-only sign-up: the link is the way in, for its own address only."""
    node.settings.signup = "invitation"
    make_org(node, "garment-union")
    owner = make_member(node, "owner@union.example", "garment-union", "owner")
    sign_in(client, owner)
    link = invite(client, "garment-union", "Colleague@Union.example", role="editor")
    token = link.rsplit("/", 1)[1]

    thief = browser(client)
    stolen = sign_up(thief, "thief@example.org", invitation=token)
    assert stolen.status_code == 422
    assert "for another e-mail address" in stolen.text

    colleague = browser(client)
    assert "colleague@union.example" in colleague.get(link).text
    assert "Create your account" in colleague.get(link).text
    assert sign_up(colleague, "colleague@union.example", invitation=token).status_code == 303
    assert role_of(node, "colleague@union.example", "garment-union") == "editor"
    assert browser(client).get(link).status_code == 404  # used once
    spent = sign_up(browser(client), "colleague@union.example", invitation=token)
    assert spent.status_code == 422 and "used or expired" in spent.text


def test_existing_user_accepts_only_their_own_invitation(client: TestClient, node: Node) -> None:
    make_org(node, "garment-union")
    make_org(node, "voice-app", "worker-voice")
    owner = make_member(node, "owner@union.example", "garment-union", "owner")
    # One user in several organizations.
    member = make_member(node, "ana@voice.example", "voice-app", "viewer")
    other = make_member(node, "other@voice.example", "voice-app", "viewer")
    sign_in(client, owner)
    link = invite(client, "garment-union", member.email, role="viewer")

    wrong = browser(client)
    sign_in(wrong, other)
    assert "sign in with that address" in wrong.get(link).text
    refused = post(wrong, link, link)
    assert refused.status_code == 403
    assert role_of(node, other.email, "garment-union") is None

    ana = browser(client)
    sign_in(ana, member)
    assert post(ana, link, link).status_code == 303
    assert role_of(node, member.email, "garment-union") == "viewer"
    assert role_of(node, member.email, "voice-app") == "viewer"
    mine = ana.get("/account").text
    assert "Garment Union" in mine and "Voice App" in mine


def test_members_roles_and_the_last_owner(client: TestClient, node: Node) -> None:
    make_org(node, "garment-union")
    owner = make_member(node, "owner@union.example", "garment-union", "owner")
    editor = make_member(node, "ed@union.example", "garment-union", "editor")
    sign_in(client, owner)
    page = "/organizations/garment-union/members"
    ids = member_ids(node)

    alone = post(client, f"{page}/{ids[owner.email]}/remove", page)
    assert alone.status_code == 409
    assert "needs an owner" in alone.text
    demote = post(client, f"{page}/{ids[owner.email]}/role", page, role="viewer")
    assert demote.status_code == 409
    leave = post(client, "/account/organizations/garment-union/leave", "/account")
    assert leave.status_code == 409
    assert role_of(node, owner.email, "garment-union") == "owner"

    assert post(client, f"{page}/{ids[editor.email]}/role", page, role="owner").status_code == 303
    assert role_of(node, editor.email, "garment-union") == "owner"
    assert post(client, f"{page}/{ids[owner.email]}/remove", page).status_code == 303
    assert role_of(node, owner.email, "garment-union") is None
    assert client.get(page).status_code == 403  # no longer an owner

    ed = browser(client)
    sign_in(ed, editor)
    assert post(ed, page, page, email="x@example.org", role="boss").status_code == 422
    injected = post(ed, page, page, email="x@example.org\nBcc: y@example.org", role="viewer")
    assert injected.status_code == 422 and 'id="email-error"' in injected.text

    viewer = make_member(node, "v@union.example", "garment-union", "viewer")
    v = browser(client)
    sign_in(v, viewer)
    assert v.get(page).status_code == 403
    assert post(v, "/account/organizations/garment-union/leave", "/account").status_code == 303
    assert role_of(node, viewer.email, "garment-union") is None


def member_ids(node: Node) -> dict[str, int]:
    with unit_of_work(node.sessions) as session:
        return {u.email: u.id for u in session.scalars(select(User))}


def test_password_change_needs_the_current_one_and_ends_other_sessions(
    client: TestClient, node: Node
) -> None:
    member = make_member(node, "ana@example.org")
    sign_in(client, member)
    laptop = browser(client)
    sign_in(laptop, member)
    wrong = post(client, "/account/password", "/account", current="nope", password=PASSWORD)
    assert wrong.status_code == 422 and 'id="current-error"' in wrong.text
    changed = post(
        client, "/account/password", "/account", current=member.password, password=PASSWORD
    )
    assert changed.status_code == 303
    assert client.get("/account").status_code == 200  # this browser stays signed in
    assert laptop.get("/account").status_code == 401  # the other one is out
    assert post(client, "/account/sign-out-everywhere", "/account").status_code == 303
    assert client.get("/account").status_code == 401


def test_reset_link_made_by_the_admin(client: TestClient, node: Node) -> None:
    member = make_member(node, "ana@example.org")
    signed_in = browser(client)
    sign_in(signed_in, member)
    admin = browser(client)
    sign_in(admin, make_member(node, "admin@node.example", admin=True))
    made = post(admin, "/admin/reset-links", "/admin/reset-links", email="ana@example.org")
    assert made.status_code == 201
    link = RESET.search(made.text)
    assert link
    assert "no-store" in made.headers["cache-control"]
    with unit_of_work(node.sessions) as session:
        stored = session.scalars(select(OneTimeLink)).one()
        assert link.group(1).rsplit("/", 1)[1] not in stored.token_hash  # only the hash

    anonymous = browser(client)
    assert "ana@example.org" in anonymous.get(link.group(1)).text
    short = post(anonymous, link.group(1), link.group(1), password="short")
    assert short.status_code == 422
    done = post(anonymous, link.group(1), link.group(1), password=PASSWORD)
    assert done.status_code == 303 and done.headers["location"] == "/login"
    assert anonymous.get(link.group(1)).status_code == 404  # single use
    assert signed_in.get("/account").status_code == 401  # every session ended
    sign_in(anonymous, Member(email="ana@example.org", token="", password=PASSWORD))

    nobody = post(admin, "/admin/reset-links", "/admin/reset-links", email="no@example.org")
    assert nobody.status_code == 404
    outsider = browser(client)
    sign_in(outsider, make_member(node, "plain@example.org"))
    assert outsider.get("/admin/reset-links").status_code == 403


def test_reset_link_expires(client: TestClient, node: Node) -> None:
    make_member(node, "ana@example.org")
    admin = browser(client)
    sign_in(admin, make_member(node, "admin@node.example", admin=True))
    made = post(admin, "/admin/reset-links", "/admin/reset-links", email="ana@example.org")
    link = RESET.search(made.text)
    assert link
    with unit_of_work(node.sessions) as session:
        row = session.scalars(select(OneTimeLink)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
    assert client.get(link.group(1)).status_code == 404


class SentMail:
    """Stands in for ``smtplib.SMTP``: records what would have been sent."""

    sent: list[EmailMessage] = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.address = (host, port)

    def __enter__(self) -> SentMail:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def starttls(self) -> None:
        return None

    def login(self, user: str, password: str) -> None:
        return None

    def send_message(self, message: EmailMessage) -> None:
        self.sent.append(message)


def test_reset_request_answers_alike_and_mails_existing_accounts(
    client: TestClient, node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    SentMail.sent = []
    monkeypatch.setattr("smtplib.SMTP", SentMail)
    node.settings.smtp_host = "mail.example.org"
    node.settings.smtp_from = "node@example.org"
    make_member(node, "ana@example.org")
    known = post(client, "/password-reset", "/password-reset", email="ana@example.org")
    unknown = post(client, "/password-reset", "/password-reset", email="nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("ana@example.org", "X") == unknown.text.replace(
        "nobody@example.org", "X"
    )
    assert len(SentMail.sent) == 1
    message = SentMail.sent[0]
    assert message["To"] == "ana@example.org" and message["From"] == "node@example.org"
    path = re.search(r"http://testserver(/password-reset/[\w-]+)", message.get_content())
    assert path
    assert client.get(path.group(1)).status_code == 200


def test_reset_requests_are_throttled(client: TestClient, node: Node) -> None:
    make_member(node, "ana@example.org")
    answers = [
        post(client, "/password-reset", "/password-reset", email="ana@example.org").status_code
        for _ in range(5)
    ]
    assert answers[:3] == [200, 200, 200]
    assert answers[4] == 429


def test_invitation_is_mailed_when_smtp_is_configured(
    client: TestClient, node: Node, monkeypatch: pytest.MonkeyPatch
) -> None:
    SentMail.sent = []
    monkeypatch.setattr("smtplib.SMTP", SentMail)
    node.settings.smtp_host = "mail.example.org"
    make_org(node, "garment-union")
    sign_in(client, make_member(node, "owner@union.example", "garment-union", "owner"))
    page = "/organizations/garment-union/members"
    response = post(client, page, page, email="new@union.example", role="viewer")
    assert response.status_code == 200
    assert "sent by e-mail" in response.text and "invitation-link" not in response.text
    assert [m["To"] for m in SentMail.sent] == ["new@union.example"]
    assert "/invitations/" in SentMail.sent[0].get_content()


def test_tokens_created_shown_once_used_and_revoked(client: TestClient, node: Node) -> None:
    make_org(node, "garment-union")
    member = make_member(node, "owner@union.example", "garment-union", "owner")
    make_dataset(node, "case-files", "garment-union", access="internal", discoverable=False)
    sign_in(client, member)
    made = post(client, "/account/tokens", "/account/tokens", name="nightly sync", expires="30")
    assert made.status_code == 201
    assert "no-store" in made.headers["cache-control"]
    token = NEW_TOKEN.search(made.text)
    assert token
    assert token.group(1) not in client.get("/account/tokens").text  # shown once

    api = browser(client)
    headers = {"Authorization": f"Bearer {token.group(1)}"}
    slugs = [d["slug"] for d in api.get("/api/v1/datasets", headers=headers).json()["items"]]
    assert "case-files" in slugs  # the token reads as its owner
    anonymous = [d["slug"] for d in api.get("/api/v1/datasets").json()["items"]]
    assert "case-files" not in anonymous
    outsider = make_member(node, "outsider@example.org").headers
    seen = [d["slug"] for d in api.get("/api/v1/datasets", headers=outsider).json()["items"]]
    assert "case-files" not in seen
    with unit_of_work(node.sessions) as session:
        row = session.scalars(select(ApiToken).where(ApiToken.name == "nightly sync")).one()
        assert row.last_used_at is not None
        assert row.expires_at is not None and row.expires_at > utcnow() + timedelta(days=29)
        first_use, token_id = row.last_used_at, row.id
    api.get("/api/v1/me", headers=headers)
    with unit_of_work(node.sessions) as session:
        assert session.get(ApiToken, token_id).last_used_at == first_use  # type: ignore[union-attr]
    listing = client.get("/account/tokens").text
    assert "nightly sync" in listing and "never" not in listing.split("nightly sync")[1][:200]

    bad = post(client, "/account/tokens", "/account/tokens", name="x", expires="forever")
    assert bad.status_code == 422 and 'id="expires-error"' in bad.text

    other = browser(client)
    sign_in(other, make_member(node, "other@example.org"))
    assert post(other, f"/account/tokens/{token_id}/revoke", "/account/tokens").status_code == 404
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    revoked = post(client, f"/account/tokens/{token_id}/revoke", "/account/tokens")
    assert revoked.status_code == 303
    assert api.get("/api/v1/me", headers=headers).status_code == 401


def test_expired_token_is_refused(client: TestClient, node: Node) -> None:
    member = make_member(node, "ana@example.org")
    with unit_of_work(node.sessions) as session:
        row = session.scalars(select(ApiToken)).one()
        row.expires_at = utcnow() - timedelta(seconds=1)
    response = client.get("/api/v1/me", headers=member.headers)
    assert response.status_code == 401
    assert "expired" in response.json()["error"]["message"]


def test_account_pages_need_sign_in(client: TestClient) -> None:
    for path in ("/account", "/account/tokens", "/organizations/new"):
        assert client.get(path).status_code == 401, path
    token = csrf_from(client, "/login")
    assert client.post("/account/tokens", data={"csrf_token": token}).status_code == 401
    assert client.post("/account/tokens", data={}).status_code == 403  # no CSRF token


def test_token_api_for_the_signed_in_user(client: TestClient, node: Node) -> None:
    member = make_member(node, "ana@example.org")
    other = make_member(node, "other@example.org")
    assert client.get("/api/v1/tokens").status_code == 401
    made = client.post(
        "/api/v1/tokens",
        json={"name": "ci", "expires_at": "2999-01-01T00:00:00Z"},
        headers=member.headers,
    )
    assert made.status_code == 201, made.text
    new = made.json()
    assert new["token"].startswith("lct_")
    listed = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {new['token']}"})
    assert [t["name"] for t in listed.json()] == ["ci", ""]
    assert "token" not in listed.json()[0]
    assert listed.json()[0]["expires_at"].startswith("2999-01-01")
    assert listed.json()[1]["last_used_at"] is not None  # the factory's token was just used
    strict = client.post("/api/v1/tokens", json={"expires": "2999"}, headers=member.headers)
    assert strict.status_code == 422
    past = client.post(
        "/api/v1/tokens", json={"expires_at": "2000-01-01T00:00:00Z"}, headers=member.headers
    )
    assert past.status_code == 400
    theirs = client.post(f"/api/v1/tokens/{new['id']}/revoke", headers=other.headers)
    assert theirs.status_code == 404
    revoked = client.post(f"/api/v1/tokens/{new['id']}/revoke", headers=member.headers)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    gone = client.get("/api/v1/me", headers={"Authorization": f"Bearer {new['token']}"})
    assert gone.status_code == 401
