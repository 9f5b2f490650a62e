"""Helpers and fixtures for the checker page's browser tests: read the rendered explanation, say what it must be,
answer. Test modules import the fixtures they use from here (not a conftest.py of this folder: pytest would then
hold two modules named `conftest`).

A live checker page costs a few seconds to start, so most tests share one page per module (`live`), each
beginning from "Start again"; tests that need a first load open their own.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from contextlib import contextmanager
from pathlib import Path

import pytest

from checker.answers import condition_truth
from checker.dates import date_in_words
from checker.invariants import answer_sets
from explanation_view import expected_view, view_items  # noqa: F401 (the browser tests' expectations)
from harness import ROOT, serve

READY = "#checker-result:not([data-state=loading])"
IDLE = "#checker-result[data-state=ready][aria-busy=false]"
START_TIMEOUT_MS = 120_000
# What the page shows while Pyodide loads: the state and the progress, read at one moment (read one by one, the
# checker could become ready between them and take the progress away, and the read of its text then waited for
# an element that was gone).
LOADING = """() => {
    const text = document.querySelector("#checker-progress-text");
    const bar = document.querySelector("#checker-result progress");
    return {state: document.querySelector("#checker-result").dataset.state, text: text && text.innerText,
            visible: !!bar && bar.getClientRects().length > 0 && getComputedStyle(bar).visibility !== "hidden"};
}"""

# Reads the explanation in the page back into data, from the elements the page renders (the same for the live
# result and the static explanations), in the shape of explanation_view.page_view: its headings, folds, lists and
# items, in the order the reader meets them, to be compared with the explanation's layout tree (checker/layout.py).
READ_EXPLANATION = """(root) => {
  const box = root.querySelector(".explanation");
  if (!box) return null;
  const text = (node) => node ? node.textContent : null;
  const own = (node) => [...node.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.data).join("");
  const kind = (node, base) => {
    const c = [...node.classList].find((name) => name.startsWith(`${base}--`));
    return c ? c.slice(base.length + 2).replaceAll("-", "_") : null;
  };
  const quotes = (node) => {
    const fold = node.querySelector(":scope > details.quotes");
    return fold ? { summary: text(fold.querySelector("summary")),
      citations: [...fold.querySelectorAll(".quote[data-clause]")]
        .map((q) => [q.dataset.clause, text(q.querySelector(".quote__text"))]) } : null;
  };
  const exception = (node) => {
    const line = node.querySelector(".exception__recipients");
    let recipients = null;
    if (line) {
      // A name without data-recipient is the policy's words for someone it does not name.
      const spans = [...line.querySelectorAll(":scope > span")];
      const names = spans.map((r) => ({ id: r.dataset.recipient || null, label: text(r) }));
      recipients = { lead: names.length ? line.firstChild.data.trimEnd() : text(line), names,
        separator: spans.length > 1 ? spans[0].nextSibling.data : null };
    }
    const told = node.querySelector(".exception__told-first");
    return { type: "exception", id: node.dataset.exception, status: node.dataset.status,
      text: text(node.querySelector(".exception__text")), status_text: text(node.querySelector(".exception__status")),
      judgement: text(node.querySelector(".exception__judgement")), recipients, limit: text(node.querySelector(".exception__limit")), told_first: told ? { telling: told.dataset.telling, text: text(told) } : null, quotes: quotes(node) };
  };
  const point = (node) => ({ type: "point", id: node.dataset.point, status: node.dataset.status || null,
    kind: node.dataset.kind || null, text: text(node.querySelector(".point__text")), quotes: quotes(node) });
  const read = (node) => {
    const has = (name) => node.classList.contains(name);
    if (has("checker-changed")) return null;   // the note of a recent change: not the explanation's
    if (has("explanation__headline")) return { type: "verdict", text: text(node) };
    if (has("explanation__heading")) return { type: "heading", text: text(node) };
    if (has("explanation__protection")) {
      return { type: "protection", id: node.dataset.protection, kind: node.dataset.kind,
        text: text(node.querySelector(".protection__text")),
        unless: [...node.querySelectorAll(".protection__unless")].map(text), quotes: quotes(node) };
    }
    if (has("records__lead")) return { type: "lead", id: node.dataset.point, text: text(node) };
    if (has("explanation__note")) return { type: "note", kind: node.dataset.kind, text: text(node) };
    if (has("exceptions")) return { type: "list", of: "exceptions", kind: kind(node, "exceptions"), children: [...node.children].map(exception) };
    if (has("points")) return { type: "list", of: "points", kind: kind(node, "points"), children: [...node.children].map(point) };
    if (node.matches("details") && node.classList.length) {
      const name = node.classList[0];
      const [summary, ...rest] = node.children;
      const count = summary.querySelector(`.${name}__count`);
      return { type: "section", kind: name.replaceAll("-", "_"), heading: count ? own(summary).trimEnd() : text(summary),
        fold: true, count: text(count), id: node.dataset.point || null, children: children(rest) };
    }
    return { type: "unknown", tag: node.tagName, class: node.className };
  };
  const children = (nodes) => [...nodes].map(read).filter((n) => n !== null);
  return { outcome: box.dataset.outcome, children: children(box.children) };
}"""


def sample_answer_sets(data: dict, n: int, seed: int = 5) -> list[dict]:
    """n answer sets spread over every kind of caller: the empty one, each role alone, then a fixed random
    sample of all combinations, with dates that include a leap day and a month end."""
    questions = {q["id"]: q for q in data["questions"]}
    # The page asks a question only once the answers it depends on are given (the engine also accepts
    # a question whose gate is unknown, but nobody can answer it in the page).
    every = [a for a in answer_sets(data)
             if all(condition_truth(questions[q]["asked_when"], a, questions) is True for q in a)]
    picked = [{}] + [{"role": v["value"]} for v in data["questions"][0]["values"]]
    rng = random.Random(seed)
    dates = ["2026-03-03", "2024-02-29", "2026-08-31", "2025-12-31", "2027-01-15"]
    for answers in rng.sample(every, n - len(picked)):
        answers = dict(answers)
        if "contact_date" in answers:
            answers["contact_date"] = rng.choice(dates)
        picked.append(answers)
    return picked


def read_result(page) -> dict:
    return page.eval_on_selector("#checker-result", READ_EXPLANATION)


def wait_idle(page) -> None:
    page.wait_for_selector(IDLE, state="attached")


def question_order(data: dict) -> list[str]:
    return [q["id"] for q in data["questions"]]


def answer_with_mouse(page, data: dict, answers: dict) -> None:
    """Answer in the order the page asks, clicking each option's label; a date is typed."""
    for question_id in question_order(data):
        if question_id not in answers:
            continue
        if question_id == "contact_date":
            page.fill("#checker-contact_date", answers[question_id])
        else:
            page.click(f"label[for='checker-{question_id}-{answers[question_id]}']")
        wait_idle(page)


# Start again (if asked), then answer in the order the page asks, each answer once the page is idle from the one before; the
# page's own events (a click on the option, the date field's input), without Playwright's checks before each
# pointer action, which cost most of a test that answers hundreds of times (answer_with_mouse answers as a
# person does, in the journeys).
ANSWER_IN_PAGE = """async ([order, answers, fromStart]) => {
  const result = document.getElementById("checker-result");
  const idle = () => new Promise((done) => {
    const now = () => result.dataset.state === "ready" && result.getAttribute("aria-busy") === "false";
    if (now()) return done();
    const watch = new MutationObserver(() => { if (now()) { watch.disconnect(); done(); } });
    watch.observe(result, { attributes: true });
  });
  if (fromStart) {
    document.getElementById("checker-start-again").click();
    await idle();
  }
  for (const id of order.filter((id) => id in answers)) {
    const field = document.getElementById(id === "contact_date" ? "checker-contact_date" : `checker-${id}-${answers[id]}`);
    if (field.closest("[hidden]")) throw new Error(`question ${id} is not shown`);
    if (field.type === "date") {
      field.value = answers[id];
      field.dispatchEvent(new Event("input", { bubbles: true }));
    } else {
      field.click();
    }
    await idle();
  }
}"""


def answer_in_page(page, data: dict, answers: dict, from_start: bool = False) -> None:
    """Give these answers (after Start again, if from_start), through the page's own events (ANSWER_IN_PAGE)."""
    page.evaluate(ANSWER_IN_PAGE, [question_order(data), answers, from_start])


def start_again(page) -> None:
    page.click("#checker-start-again")
    wait_idle(page)


def open_checker(page, base_url: str, wait_until: str = "load") -> dict:
    """The checker page, its live checker ready and idle; returns what it showed once the page had loaded as far as
    wait_until (LOADING: on a fast machine it may already be past loading)."""
    page.goto(f"{base_url}/checker.html", wait_until=wait_until)
    while_loading = page.evaluate(LOADING)
    page.wait_for_selector(READY, state="attached", timeout=START_TIMEOUT_MS)
    state = page.get_attribute("#checker-result", "data-state")
    assert state == "ready", f"the checker did not start: data-state={state!r}: {page.inner_text('#checker-result')}"
    wait_idle(page)
    return while_loading


def settle_scrolling(page) -> None:
    """Wait until no scrolling is under way (a smooth scroll to the focused question, say): colours
    measured mid-scroll can fall under the sticky header."""
    last = None
    for _ in range(50):
        now = page.evaluate("""() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(
            () => done([scrollX, scrollY, document.getElementById("checker-live").scrollTop]))))""")
        if now == last:
            return
        last = now


def axe_violations(page, axe_source: str, include: str = ".md-content") -> list:
    """axe-core's violations in the page's content (the checker); the theme's header and the quick exit
    around it are the same on every page and are checked with every page."""
    settle_scrolling(page)
    # Injected through the DevTools protocol, which the page's Content-Security-Policy does not govern.
    page.evaluate(axe_source)
    results = page.evaluate("(include) => axe.run({include: [include]}, {resultTypes: ['violations']})", include)
    return [(v["id"], v["help"], [(n["target"], n["failureSummary"]) for n in v["nodes"]][:5])
            for v in results["violations"]]


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1)


ROLES = ["worried_about_own_behaviour", "experiencing_abuse", "friend_or_family", "professional"]
# The questions asked only of some kinds of caller, and of which.
CONDITIONAL = {"risk_from_caller": {"worried_about_own_behaviour"},
               "child_or_vulnerable_adult_at_risk": {"experiencing_abuse", "friend_or_family", "professional"}}

# One journey per kind of caller: what they answer, and what the explanation must then say.
JOURNEYS = {
    "worried_about_own_behaviour": {
        "answers": {"role": "worried_about_own_behaviour", "risk_from_caller": "immediate_severe", "channel": "phone",
                    "consent_to_share": "no", "terrorism_or_bomb_warning": "no", "threatened_or_abused_staff": "no",
                    "interfered_with_service": "no"},
        "applies": {"concern-for-safety", "particular-risk", "immediate-severe-risk"},
        "recipients": {"relevant_people", "outside_agencies", "ex_partner", "police"},
    },
    "experiencing_abuse": {
        "answers": {"role": "experiencing_abuse", "child_or_vulnerable_adult_at_risk": "yes", "channel": "email",
                    "contact_date": "2026-03-03", "consent_to_share": "no"},
        "applies": {"child-or-vulnerable-adult"},
        "recipients": {"another_agency"},
    },
    "friend_or_family": {
        "answers": {"role": "friend_or_family", "child_or_vulnerable_adult_at_risk": "no", "channel": "letter",
                    "contact_date": "2026-08-31",
                    "consent_to_share": "yes", "terrorism_or_bomb_warning": "no", "threatened_or_abused_staff": "no",
                    "interfered_with_service": "no"},
        "applies": {"consent"},
        "recipients": {"as_you_asked"},
    },
    "professional": {
        # A professional who tells us a child is at risk is not told that everything stays confidential.
        "answers": {"role": "professional", "child_or_vulnerable_adult_at_risk": "yes", "channel": "phone",
                    "consent_to_share": "no", "terrorism_or_bomb_warning": "no", "threatened_or_abused_staff": "no",
                    "interfered_with_service": "no"},
        "applies": {"child-or-vulnerable-adult"},
        "recipients": {"another_agency"},
    },
}


def shown_questions(page, data) -> set[str]:
    return {q for q in question_order(data) if page.locator(f"[data-question='{q}']").is_visible()}


def check_journey_end(page, data, journey) -> None:
    answers = journey["answers"]
    shown, expected = read_result(page), expected_view(data, answers)
    assert shown == expected, dumps({"shown": shown, "expected": expected})
    assert page.get_attribute("#checker-result", "data-outcome") == expected["outcome"]
    exceptions = [i for i in view_items(shown) if i["type"] == "exception"]
    applying = {e["id"] for e in exceptions if e["status"] == "applies"}
    assert applying == journey["applies"]
    recipients = {r["id"] for e in exceptions if e["status"] == "applies" for r in e["recipients"]["names"]}
    assert recipients == journey["recipients"]
    if answers["role"] == "experiencing_abuse":
        protections = {i["id"] for i in view_items(shown) if i["type"] == "protection"}
        assert "victim-never-told" in protections and "ex_partner" not in recipients
    if "contact_date" in answers:
        # What is kept is counted from the date the caller gave, written in words.
        day = date_in_words(dt.date.fromisoformat(answers["contact_date"]), data["date_format"], data["month_names"])
        assert any(day in i["text"] for i in view_items(shown) if i["type"] == "point"), dumps(shown)


@contextmanager
def serve_copy(directory: Path):
    """Serve another folder (a changed copy of the site) with the shared test server, for one test."""
    url, server = serve(directory)
    try:
        yield url
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def live(browser, site_url):
    """One live checker page, ready, shared by a module's tests. `live.while_loading` is what it showed once its
    HTML was read (LOADING), `live.first_outcome` its outcome once ready: each load starts Pyodide (seconds of
    processor), so the test of the progress reads this load's rather than making its own."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.while_loading = open_checker(page, site_url, wait_until="domcontentloaded")
    page.first_outcome = page.get_attribute("#checker-result", "data-outcome")
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("checker-screenshots")
