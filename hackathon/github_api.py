"""The few calls the site makes to GitHub's REST API, with `GITHUB_TOKEN`: post a comment, read
a pull request. `GITHUB_API_URL` points the tests at a local fake server."""

import json
import urllib.error
import urllib.request

from django.conf import settings

TIMEOUT_SECONDS = 10


class GitHubAPIError(Exception):
    pass


def configured() -> bool:
    return bool(settings.GITHUB_TOKEN)


def _request(method: str, path: str, payload: dict | None = None) -> dict:
    url = settings.GITHUB_API_URL + path
    if not url.startswith(("https://", "http://")):  # never file: or other schemes
        raise GitHubAPIError(f"GITHUB_API_URL is not an http(s) address: {url}")
    data = json.dumps(payload).encode("utf-8") if payload is not None else None
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=data,
        method=method,
        headers={
            "Authorization": f"Bearer {settings.GITHUB_TOKEN}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "Content-Type": "application/json",
            "User-Agent": "pfcc-portal",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - scheme checked above
            body = response.read(1024 * 1024)
    except urllib.error.HTTPError as error:
        raise GitHubAPIError(f"GitHub answered {error.code} for {method} {path}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise GitHubAPIError(f"GitHub did not answer {method} {path}: {error}") from error
    try:
        return json.loads(body or b"{}")
    except ValueError as error:
        raise GitHubAPIError(f"GitHub sent no JSON for {method} {path}") from error


def post_comment(comments_path: str, body: str) -> dict:
    return _request("POST", comments_path, {"body": body})


def pull_request(repository: str, number: int) -> dict | None:
    """The pull request as GitHub has it, or None when it does not exist."""
    try:
        return _request("GET", f"/repos/{repository}/pulls/{number}")
    except GitHubAPIError as error:
        if "answered 404" in str(error):
            return None
        raise
