"""GitHub's webhook deliveries as GitHub sends them (headers, signature, `pull_request` payload
shape from GitHub's "Webhook events and payloads" documentation), and the signature scheme
checked against GitHub's published test vector. The other webhook tests import these helpers."""

import hashlib
import hmac
import itertools
import json

from hackathon.webhooks import signature_for, signature_matches

SECRET = "webhook-secret-for-tests"
URL = "/webhooks/github/"
_ids = itertools.count(1)


def user_payload(login, user_id=None, kind="User"):
    user_id = user_id or 1000 + sum(map(ord, login))
    return {
        "login": login,
        "id": user_id,
        "node_id": f"MDQ6VXNlcj{user_id}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{user_id}?v=4",
        "gravatar_id": "",
        "url": f"https://api.github.com/users/{login}",
        "html_url": f"https://github.com/{login}",
        "type": kind,
        "site_admin": False,
    }


def repository_payload(full_name="PaddlePaddle/Paddle"):
    owner, name = full_name.split("/")
    return {
        "id": 65711522,
        "node_id": "MDEwOlJlcG9zaXRvcnk2NTcxMTUyMg==",
        "name": name,
        "full_name": full_name,
        "private": False,
        "owner": user_payload(owner, 23534030, "Organization"),
        "html_url": f"https://github.com/{full_name}",
        "description": "PArallel Distributed Deep LEarning",
        "fork": False,
        "url": f"https://api.github.com/repos/{full_name}",
        "default_branch": "develop",
    }


def pr_payload(
    action,
    title,
    number=70001,
    login="alice-gh",
    repo="PaddlePaddle/Paddle",
    merged=False,
    state=None,
    updated_at="2026-11-20T08:00:00Z",
    changes=None,
    user_id=None,
    user_type="User",
    draft=False,
):
    """A `pull_request` event body. `state` defaults to closed for `closed`, else open."""
    state = state or ("closed" if action == "closed" else "open")
    html_url = f"https://github.com/{repo}/pull/{number}"
    payload = {
        "action": action,
        "number": number,
        "pull_request": {
            "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
            "id": 2000000000 + number,
            "node_id": "PR_kwDOA-ruYs5xxxxx",
            "html_url": html_url,
            "diff_url": f"{html_url}.diff",
            "patch_url": f"{html_url}.patch",
            "issue_url": f"https://api.github.com/repos/{repo}/issues/{number}",
            "number": number,
            "state": state,
            "locked": False,
            "title": title,
            "user": user_payload(login, user_id, user_type),
            "body": "### PR Category\nUser Experience\n### Description\n新增 API",
            "created_at": "2026-11-20T07:00:00Z",
            "updated_at": updated_at,
            "closed_at": updated_at if state == "closed" else None,
            "merged_at": updated_at if merged else None,
            "merge_commit_sha": "e5bd3914e2e596debea16f433f57875b5b90bcd6",
            "assignee": None,
            "labels": [{"name": "contributor", "color": "ededed"}],
            "draft": draft,
            "head": {"label": f"{login}:feature", "ref": "feature", "sha": "6dcb09b5b5"},
            "base": {"label": "PaddlePaddle:develop", "ref": "develop", "sha": "0d1a26e67d"},
            "author_association": "CONTRIBUTOR",
            "merged": merged,
            "mergeable": None,
            "merged_by": user_payload("maintainer", 42) if merged else None,
            "comments": 3,
            "commits": 2,
            "additions": 120,
            "deletions": 4,
            "changed_files": 5,
        },
        "repository": repository_payload(repo),
        "organization": {"login": repo.split("/")[0], "id": 23534030},
        "sender": user_payload("maintainer" if merged else login, 42 if merged else user_id),
    }
    if changes is not None:
        payload["changes"] = changes
    return payload


def ping_payload():
    return {
        "zen": "Design for failure.",
        "hook_id": 470162148,
        "hook": {"type": "Repository", "id": 470162148, "events": ["pull_request"]},
        "repository": repository_payload(),
        "sender": user_payload("maintainer", 42),
    }


def deliver(client, event, payload, delivery_id=None, secret=SECRET, signature=None, **extra):
    """POST like GitHub: JSON body, event and delivery headers, HMAC-SHA256 signature."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    content_type = extra.pop("content_type", "application/json")
    headers = {
        "HTTP_X_GITHUB_EVENT": event,
        "HTTP_X_GITHUB_DELIVERY": delivery_id or f"72d3162e-cc78-11e3-81ab-{next(_ids):012d}",
        "HTTP_X_GITHUB_HOOK_ID": "470162148",
        "HTTP_USER_AGENT": "GitHub-Hookshot/9b97f8a",
    }
    if signature is None and secret is not None:
        signature = signature_for(secret, body)
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    headers.update(extra)
    return client.generic("POST", URL, body, content_type=content_type, **headers)


def test_signature_matches_githubs_published_example():
    # docs.github.com, "Validating webhook deliveries" → "Testing the webhook payload validation"
    secret, payload = "It's a Secret to Everybody", b"Hello, World!"
    expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signature_for(secret, payload) == expected
    assert signature_matches(secret, payload, expected)
    assert not signature_matches(secret, payload + b" ", expected)
    assert not signature_matches(secret, payload, expected.upper())
    assert not signature_matches(secret, payload, "")
    assert not signature_matches(secret, payload, None)
    assert not signature_matches(secret, payload, "sha256=é")  # non-ASCII: no TypeError


def test_helpers_sign_like_github():
    body = json.dumps(ping_payload()).encode()
    digest = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert signature_for(SECRET, body) == f"sha256={digest}"
