"""The HTTP client of `push` and `serve --endpoint` against real servers that misbehave
(tests/hostile_servers.py): answers are bounded in size and time, credentials stay with
their origin, credentials in URLs work, and no message shows a secret. The CLI runs as a
real process with its address space capped, so a client that reads without end fails
instead of eating the machine."""

from __future__ import annotations

import base64
import sys
import threading

import pytest

from llmboom.errors import RemoteError
from tests.conftest import REPO
from tests.hostile_servers import hostile_server
from tests.peak_memory import run_measured

SECRET = "s3cret-Value"


def cli(*args: str, env: dict[str, str] | None = None, seconds: float = 60):
    """Run the real CLI (address space capped at 3 GB); (exit status, stderr, seconds, peak MB)."""
    command = [sys.executable, "-m", "llmboom", "--root", str(REPO), *args]
    return run_measured(command, env=env, address_space=3 << 30, seconds=seconds)


def one_line(status: int, stderr: str) -> None:
    assert "Traceback" not in stderr, stderr
    assert status == 2, stderr
    assert stderr.startswith("Error: ") and stderr.count("\n") == 1, stderr
    assert SECRET not in stderr, stderr


def test_an_endless_answer_to_push_is_cut_off_with_flat_memory() -> None:
    with hostile_server("endless") as server:
        status, stderr, seconds, megabytes = cli("push", "--endpoint", f"{server.url}/store")
    one_line(status, stderr)
    assert "longer than the limit" in stderr
    assert seconds < 20 and megabytes < 400


def test_an_endless_answer_to_serve_endpoint_is_cut_off_at_the_limit() -> None:
    with hostile_server("endless") as server:
        status, stderr, seconds, megabytes = cli(
            "serve", "--endpoint", f"{server.url}/sparql", "--get", "/id/bytedance",
            env={"LLMBOOM_MAX_RESPONSE_BYTES": str(20 << 20)},
        )  # fmt: skip
    one_line(status, stderr)
    assert "longer than the limit of 20971520 bytes" in stderr
    assert seconds < 30 and megabytes < 600


@pytest.mark.parametrize("behaviour", ["silent", "trickle"])
def test_a_slow_server_is_cut_off_at_the_deadline(behaviour: str) -> None:
    with hostile_server(behaviour) as server:
        status, stderr, seconds, _ = cli(
            "push", "--endpoint", f"{server.url}/store", "--timeout", "3", seconds=40
        )
    one_line(status, stderr)
    assert "no complete answer within 3 s" in stderr
    assert seconds < 15  # about 1 s of loading the project, then 3 s


def test_the_deadline_covers_the_whole_call_not_each_read() -> None:
    from llmboom.store.http import request

    outcome: list[BaseException] = []

    def call() -> None:
        try:
            request("GET", server.url + "/", timeout=2)
        except BaseException as error:  # reported to the test thread
            outcome.append(error)

    with hostile_server("trickle") as server:
        caller = threading.Thread(target=call, daemon=True)
        caller.start()
        caller.join(6)
        assert not caller.is_alive(), "still reading a byte a second"
    assert len(outcome) == 1 and "no complete answer within 2 s" in str(outcome[0])


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("credentials", ["token", "basic"])
def test_credentials_are_not_sent_along_a_redirect_to_another_origin(credentials, method) -> None:
    from llmboom.store.http import request

    auth = SECRET if credentials == "token" else ("u", SECRET)
    with (
        hostile_server("recorder", challenge=True) as elsewhere,
        hostile_server("redirect", location=elsewhere.url + "/") as server,
    ):
        with pytest.raises(RemoteError) as refused:
            request(
                method,
                f"{server.url}/sparql",
                body=b"query=ASK{}" if method == "POST" else None,
                auth=auth,
            )
        # (with a user and password, a request with a body is preceded by a HEAD asking for
        # the challenge, which is not redirected either)
        expected = f"Bearer {SECRET}" if credentials == "token" else None
        assert server.authorizations and set(server.authorizations) == {expected}
    assert "HTTP 401" in str(refused.value) and SECRET not in str(refused.value)
    assert elsewhere.paths == ["/sparql"], "the redirect was not followed"
    assert elsewhere.authorizations == [None]


def test_a_large_body_reaches_a_server_that_challenges_before_reading_it() -> None:
    """A server that answers 401 as soon as it has the headers and closes (Virtuoso) gets
    the answer to its challenge with the body, not a body cut off by a reset connection."""
    from llmboom.store.http import request

    body = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n" * 100_000
    with hostile_server("gatekeeper") as server:
        answer = request("PUT", f"{server.url}/store", body=body, auth=("u", SECRET))
    assert answer.status == 200
    expected = "Basic " + base64.b64encode(f"u:{SECRET}".encode()).decode()
    assert server.authorizations[-1] == expected
    assert server.authorizations[:-1] == [None]  # the HEAD that fetched the challenge


def test_serve_endpoint_sends_no_credentials_along_a_redirect_to_another_origin() -> None:
    with (
        hostile_server("recorder", challenge=True) as elsewhere,
        hostile_server("redirect", location=elsewhere.url + "/") as server,
    ):
        endpoint = server.url.replace("http://", f"http://alice:{SECRET}@") + "/sparql"
        status, stderr, _, _ = cli("serve", "--endpoint", endpoint, "--get", "/id/bytedance")
    one_line(status, stderr)
    assert elsewhere.paths and all(a is None for a in elsewhere.authorizations)


def test_a_token_follows_a_redirect_within_its_origin() -> None:
    from llmboom.store.http import request

    with hostile_server("hop") as server:
        request("GET", server.url + "/hop", auth=SECRET)
    assert server.paths == ["/hop", "/landed"]
    assert server.authorizations == [f"Bearer {SECRET}"] * 2


def test_credentials_in_the_url_are_used_and_never_printed() -> None:
    with hostile_server("recorder", challenge=True) as server:
        endpoint = server.url.replace("http://", f"http://alice:{SECRET}@") + "/store"
        status, stderr, _, _ = cli("push", "--endpoint", endpoint)
    expected = "Basic " + base64.b64encode(f"alice:{SECRET}".encode()).decode()
    assert expected in server.authorizations
    one_line(status, stderr)  # the recorder's empty answers do not count triples
    assert f"{server.url}/query" in stderr  # the URL without its credentials


def test_credentials_both_in_the_url_and_as_options_are_refused() -> None:
    status, stderr, _, _ = cli(
        "push", "--endpoint", f"http://bob:{SECRET}@127.0.0.1:9/store", "--token", "other"
    )
    one_line(status, stderr)
    assert stderr.startswith("Error: http://***@127.0.0.1:9/store: credentials both in the URL")


def test_a_secret_the_server_echoes_is_blanked_out() -> None:
    with hostile_server("echo") as server:
        status, stderr, _, _ = cli("push", "--endpoint", f"{server.url}/store", "--token", SECRET)
    one_line(status, stderr)
    assert "HTTP 400" in stderr and "Bearer ***" in stderr


@pytest.mark.parametrize(
    "url", ["http://[::1/store", f"http://u:{SECRET}@[::1/store", "http://host:port/store"]
)
def test_a_malformed_url_is_one_line(url: str) -> None:
    status, stderr, _, _ = cli("push", "--endpoint", url)
    one_line(status, stderr)
    assert "not a valid URL" in stderr
