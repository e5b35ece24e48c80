"""The result cache: keys, bounds, versions, one flight per key."""

from __future__ import annotations

import asyncio

import pytest

from llmboom.web.result_cache import ResultCache, ResultKey


def reply(body: bytes, version: str = "v1") -> dict:
    return {"status": "ok", "body": body, "version": version}


def run(cache: ResultCache, query: str, version: str = "v1", **kw) -> tuple[dict, int]:
    """The cache's answer and how many times the worker was asked."""
    calls = []

    async def compute() -> dict:
        calls.append(query)
        return kw.get("made", reply(query.encode(), kw.get("made_from", version)))

    accept = kw.get("accept", "application/json")
    options = kw.get("options")
    answer = asyncio.run(cache.run(version, query, accept, options, compute))
    return answer, len(calls)


def test_a_repeated_query_is_answered_from_the_cache():
    cache = ResultCache()
    assert run(cache, "SELECT * {}")[1] == 1
    run(cache, "SELECT * {\r\n}")
    answer, calls = run(cache, "SELECT * {\n}")  # the same text once normalised
    assert calls == 0 and answer["body"] == b"SELECT * {\r\n}"
    assert cache.figures.hits == 1 and cache.figures.misses == 2


@pytest.mark.parametrize(
    "change",
    [
        {"accept": "text/csv"},
        {"options": {"as-of": "2023-01-01"}},
        {"options": {"entailment": "none"}},
        {"version": "v2"},
    ],
)
def test_every_part_of_the_key_counts(change):
    cache = ResultCache()
    run(cache, "ASK {}")
    assert run(cache, "ASK {}", **change)[1] == 1


def test_a_new_version_drops_the_old_answers_and_an_old_answer_is_not_kept():
    cache = ResultCache()
    run(cache, "ASK {}", version="v1")
    assert len(cache) == 1
    # asked under v2, answered by a worker still on v1: served once, never kept
    answer, calls = run(cache, "ASK {}", version="v2", made_from="v1")
    assert calls == 1 and answer["version"] == "v1"
    assert len(cache) == 0
    assert run(cache, "ASK {}", version="v2")[1] == 1
    assert run(cache, "ASK {}", version="v2")[1] == 0


def test_bounds_on_entries_and_bytes():
    cache = ResultCache(max_entries=3, max_bytes=800)
    for n in range(5):
        run(cache, f"q{n}")
    assert len(cache) == 3 and cache.figures.evictions == 2
    assert run(cache, "q0")[1] == 1  # the least recently used went first
    run(cache, "big", made=reply(b"x" * 201))  # more than a quarter of the bytes: not kept
    assert cache.figures.too_large == 1 and run(cache, "big")[1] == 1
    for n in range(3):
        run(cache, f"mid{n}", made=reply(b"y" * 100))
    assert cache.bytes <= 800


def test_errors_are_not_kept():
    cache = ResultCache()
    run(cache, "bad", made={"status": "error", "message": "no", "version": "v1"})
    assert len(cache) == 0


def test_identical_queries_running_at_once_take_one_worker():
    cache = ResultCache()
    calls = []

    async def compute() -> dict:
        calls.append(1)
        await asyncio.sleep(0.05)
        return reply(b"answer")

    async def many() -> list[dict]:
        return await asyncio.gather(
            *(cache.run("v1", "SELECT ?x {}", None, None, compute) for _ in range(10))
        )

    answers = asyncio.run(many())
    assert len(calls) == 1 and all(a["body"] == b"answer" for a in answers)
    assert cache.figures.joined == 9


def test_a_failure_reaches_every_waiter_and_is_not_kept():
    cache = ResultCache()

    async def compute() -> dict:
        await asyncio.sleep(0.01)
        raise TimeoutError("stopped")

    async def two() -> list:
        return await asyncio.gather(
            cache.run("v1", "q", None, None, compute),
            cache.run("v1", "q", None, None, compute),
            return_exceptions=True,
        )

    assert all(isinstance(r, TimeoutError) for r in asyncio.run(two()))
    assert len(cache) == 0


def test_no_version_or_no_room_bypasses_the_cache():
    assert run(ResultCache(), "q", version=None)[1] == 1  # type: ignore[arg-type]
    off = ResultCache(max_entries=0)
    run(off, "q")
    assert run(off, "q")[1] == 1


def test_the_key_sorts_options():
    one = ResultKey.of("v", "q", "a", {"b": 1, "a": 2})
    other = ResultKey.of("v", "q", "a", {"a": 2, "b": 1})
    assert one == other and hash(one) == hash(other)


def _stopped(cache: ResultCache, version: str = "v1") -> tuple[list, list]:
    """Ask a query that the worker stops at the time limit, twice; (outcomes, calls)."""
    from llmboom.errors import QueryTimeoutError

    calls = []

    async def compute() -> dict:
        calls.append(1)
        raise QueryTimeoutError("the query was stopped after 10 s (the time limit)")

    outcomes = []
    for _ in range(2):
        try:
            asyncio.run(cache.run(version, "SELECT slow", None, None, compute))
        except QueryTimeoutError as error:
            outcomes.append(str(error))
    return outcomes, calls


def test_a_query_stopped_at_the_time_limit_is_answered_so_again_for_a_while():
    cache = ResultCache(failure_seconds=30)
    outcomes, calls = _stopped(cache)
    assert outcomes == ["the query was stopped after 10 s (the time limit)"] * 2
    assert len(calls) == 1 and cache.figures.failures_served == 1
    # under a new data version, it runs again
    outcomes, calls = _stopped(cache, version="v2")
    assert len(outcomes) == 2 and len(calls) == 1


def test_a_stopped_query_runs_again_once_its_error_has_expired():
    cache = ResultCache(failure_seconds=0.01)
    _stopped(cache)
    import time

    time.sleep(0.05)
    _, calls = _stopped(cache)
    assert len(calls) == 1  # ran again (and is remembered again)
    assert ResultCache(failure_seconds=0).failure_seconds == 0
    never = ResultCache(failure_seconds=0)
    assert len(_stopped(never)[1]) == 2
