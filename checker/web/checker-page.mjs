// The checker page's script: it takes over the engine's module worker that the page's first script started
// (checker-start.js; or, when the browser asks to save data, starts it once the caller presses the button that
// says how much it downloads), shows only the questions that apply, and renders each explanation the worker
// sends back.
//
// Private by construction: answers live only in the form's controls. They are never written
// to storage, cookies or the URL, and once the engine has loaded nothing is fetched or sent:
// the worker evaluates the answers on this device.
//
// Policy text is only ever put into the page as text nodes (never innerHTML). The explanation is rendered from its
// layout tree (checker/layout.py), as the `explanation` macro of generator/pages/templates/_macros.j2 renders it.

const config = JSON.parse(document.getElementById("checker-config").textContent);
const widget = config.widget;       // the checker page's own words (the YAML's checker.wording.widget)
const form = document.getElementById("checker-form");
const live = document.getElementById("checker-live");
const result = document.getElementById("checker-result");
const status = document.getElementById("checker-status");
const startAgain = document.getElementById("checker-start-again");
const verdict = document.getElementById("checker-verdict");
const verdictText = document.getElementById("checker-verdict-text");
const questions = config.questions;
const questionsById = new Map(questions.map((q) => [q.id, q]));

let worker = null;
let ready = false;
let failed = false;
let greeted = false;     // "the checker is ready" is said once, with the first explanation
let latest = 0;          // the id of the last evaluation asked for; older replies are ignored
let timer = null;        // the start's time-out
let replyTimer = null;   // set while an evaluation is unanswered: a worker that stopped never replies
let fadeTimer = null;    // set while busy, until the explanation on screen fades as not current

// A reply later than this fades the explanation on screen (it is for the answers before) and the one-line answer.
const FADE_AFTER_MS = 600;

// ---- answers -------------------------------------------------------------------------------

function rawAnswer(question) {
  const control = form.elements[question.id];
  if (!control) return undefined;
  if (question.type === "date") {
    // Only a complete, valid date counts: a half-typed one is left unanswered.
    return control.value && control.validity.valid && /^\d{4}-\d{2}-\d{2}$/.test(control.value)
      ? control.value : undefined;
  }
  return control.value || undefined;   // a RadioNodeList's value: the checked one, or ""
}

// A question applies when every question its `asked_when` names is answered (and itself
// applies) with one of the listed values; the engine's data says which.
function currentAnswers() {
  const memo = new Map();
  const value = (id) => {
    if (!memo.has(id)) {
      const q = questionsById.get(id);
      memo.set(id, applies(q) ? rawAnswer(q) : undefined);
    }
    return memo.get(id);
  };
  const applies = (q) => Object.entries(q.asked_when).every(([gate, allowed]) => allowed.includes(value(gate)));
  const answers = {};
  const shown = {};
  for (const q of questions) {
    shown[q.id] = applies(q);
    const v = value(q.id);
    if (v !== undefined) answers[q.id] = v;
  }
  return { answers, shown };
}

// Each question's box, found once.
const boxes = new Map(questions.map((q) => [q.id, form.querySelector(`[data-question="${CSS.escape(q.id)}"]`)]));

function clearQuestion(id) {
  for (const input of boxes.get(id).querySelectorAll("input")) {
    if (input.type === "radio") input.checked = false;
    else input.value = "";
  }
}

// Hide the questions that do not apply and clear what was answered in them, so that an
// answer nobody can see never counts. `shown` is read before clearing: a question that does
// not apply already counts as unanswered, so clearing it changes none of the answers.
// Only a box whose state changes is written to: the browser restyles whatever is written.
function showQuestions(shown = currentAnswers().shown) {
  for (const q of questions) {
    const box = boxes.get(q.id);
    const hide = !shown[q.id];
    if (hide === box.hidden) continue;
    if (hide) clearQuestion(q.id);
    box.hidden = hide;
  }
}

// ---- rendering (text nodes only) ------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// The explanation comes as its layout tree (checker/layout.py), which decides its order, headings and folds; the
// functions below only render it, as the `explanation` macro of _macros.j2 renders it for the static pages.

// A tree's quotes: the policy's words, folded.
function quotes(q) {
  const box = el("details", { class: "quotes" }, el("summary", { class: "quotes__label" }, q.summary));
  for (const c of q.citations) {
    const href = `${config.policy_href}#${c.clause}`;
    box.append(el("blockquote", { class: "quote", cite: href, "data-clause": c.clause },
      el("p", {}, el("span", { class: "quote__text" }, `“${c.quote}”`), " ",
        el("a", { href, class: "quote__source" }, config.quote_link))));
    // A translation's quote opens to the original's words, which are the ones that count.
    const original = config.original && (config.original.quotes[c.clause] || {})[c.quote];
    if (original) {
      box.append(el("details", { class: "quote__original" }, el("summary", {}, config.original.label),
        el("p", { lang: config.original.lang, dir: config.original.dir }, `“${original}”`)));
    }
  }
  return box;
}

// An exception node: its sentence, and the lines the tree gives it (status, who could be told, what is passed on,
// told first).
function exception(e) {
  const item = el("div", { class: `exception exception--${e.status.replaceAll("_", "-")}`,
    "data-exception": e.id, "data-status": e.status },
    el("p", { class: "exception__text" }, e.text));
  if (e.status_text) item.append(el("p", { class: "exception__status" }, e.status_text));
  if (e.judgement) item.append(el("p", { class: "exception__judgement" }, e.judgement));
  if (e.recipients) {
    const { lead, names, separator } = e.recipients;
    const line = el("p", { class: "exception__recipients" }, names.length ? `${lead} ` : lead);
    names.forEach((r, i) => {
      // A name without an id is the policy's words for someone it does not name.
      line.append(el("span", r.id ? { "data-recipient": r.id } : {}, r.label), i < names.length - 1 ? separator : ".");
    });
    item.append(line);
  }
  if (e.limit) item.append(el("p", { class: "exception__limit" }, e.limit));
  if (e.told_first) {
    item.append(el("p", { class: "exception__told-first", "data-telling": e.told_first.telling }, e.told_first.text));
  }
  item.append(quotes(e.quotes));
  return item;
}

// A point node, as an item of a list.
function point(p) {
  return el("li", { class: "point", "data-point": p.id, "data-status": p.status, "data-kind": p.kind },
    el("p", { class: "point__text" }, p.text), quotes(p.quotes));
}

// One node of the tree as the elements it stands for: a section is its heading and what follows it, a folded one a
// <details> whose summary is the heading (and its count).
function nodes(n, level) {
  switch (n.type) {
    case "verdict":
      return [el("p", { class: "explanation__headline" }, n.text)];
    case "section": {
      const children = n.children.flatMap((child) => nodes(child, level));
      if (!n.fold) return [el(`h${level}`, { class: "explanation__heading" }, n.heading), ...children];
      const name = n.kind.replaceAll("_", "-");
      const summary = el("summary", { class: `${name}__summary` }, n.count ? `${n.heading} ` : n.heading);
      if (n.count) summary.append(el("span", { class: `${name}__count` }, n.count));
      return [el("details", n.id ? { class: name, "data-point": n.id } : { class: name }, summary, ...children)];
    }
    case "list":
      if (n.of === "exceptions") {
        return [el("div", { class: `exceptions exceptions--${n.kind.replaceAll("_", "-")}` }, ...n.children.map(exception))];
      }
      return [el("ul", { class: n.kind ? `points points--${n.kind.replaceAll("_", "-")}` : "points" },
        ...n.children.map(point))];
    case "protection":
      return [el("div", { class: "explanation__protection", "data-protection": n.id, "data-kind": n.kind },
        el("p", { class: "protection__text" }, n.text),
        ...n.unless.map((line) => el("p", { class: "protection__unless" }, line)), quotes(n.quotes))];
    case "lead":
      return [el("p", { class: "records__lead", "data-point": n.id }, n.text)];
    case "note":
      return [el("p", { class: "explanation__note", "data-kind": n.kind }, n.text)];
    default:
      throw new Error(`unknown layout node ${n.type}`);
  }
}

// The whole explanation, from its tree.
function explanation(tree, level) {
  return el("div", { class: "explanation", "data-outcome": tree.outcome },
    ...tree.children.flatMap((n) => nodes(n, level)));
}

// An explanation takes the place of the one on screen node for node (update), rather than as a new tree: when
// one answer changes, most of the explanation stays the same, and the browser then styles, lays out and paints
// only what changed, in the frame after the reply and in the next answer's. What is on screen afterwards is
// exactly the new tree, so it looks and reads as before.

// Whether an old node can be brought up to date as a new one: the same kind of node, and not a fold the reader
// opened (it is replaced by the new one, closed, as before, rather than closed in place).
function reusable(old, node) {
  return old.nodeName === node.nodeName && old.open === node.open;
}

// Bring `old` up to date as `node`: its text, or its attributes and then its children.
function update(old, node) {
  if (node.nodeType === Node.TEXT_NODE) {
    old.data = node.data;
    return;
  }
  for (const { name } of [...old.attributes]) if (!node.hasAttribute(name)) old.removeAttribute(name);
  for (const { name, value } of node.attributes) if (old.getAttribute(name) !== value) old.setAttribute(name, value);
  updateChildren(old, node);
}

// Make `into`'s children `from`'s, in order. An old child that is already the same as the next new one
// (isEqualNode: tag, attributes and all within) stays where it is; failing that, the next old child is brought
// up to date as it, unless it is the same as a new child further on; a new child goes in where none can be.
function updateChildren(into, from) {
  const old = [...into.childNodes];
  const fresh = [...from.childNodes];
  const wanted = old.map((child) => fresh.some((node) => child.isEqualNode(node)));
  let next = 0;   // old children before this one are kept or gone
  const children = fresh.map((node) => {
    for (let i = next; i < old.length; i++) {
      if (old[i].isEqualNode(node)) {
        next = i + 1;
        return old[i];
      }
    }
    if (next < old.length && !wanted[next] && reusable(old[next], node)) {
      update(old[next], node);
      return old[next++];
    }
    return node;
  });
  const keep = new Set(children);
  for (const child of old) if (!keep.has(child)) child.remove();
  children.forEach((node, i) => {
    const at = into.childNodes[i] ?? null;
    if (at !== node) into.insertBefore(node, at);
  });
}

// Screen readers announce a change of text; clear first so the same outcome twice is still heard.
function announce(text) {
  status.textContent = "";
  requestAnimationFrame(() => { status.textContent = text; });
}

// While the policy's last change is recent: whether these answers' explanation differs from the previous
// version's. `config.changed.when` lists sets of answers (question → values, null for unanswered, "date" for
// any date); the explanation differs when the answers match one of them.
function changedFor(answers) {
  const changed = config.changed;
  if (!changed) return false;
  return changed.when.some((cube) => Object.entries(cube).every(([id, values]) => {
    const given = Object.prototype.hasOwnProperty.call(answers, id) ? answers[id] : null;
    const value = given !== null && questionsById.get(id)?.type === "date" ? "date" : given;
    return values.includes(value);
  }));
}

function changedNote() {
  const c = config.changed;
  return el("p", { class: "checker-changed", id: "checker-changed" }, c.before, el("a", { href: c.href }, c.words), c.after);
}

// `reply` is what the worker sends: the engine's checked answers and the explanation's layout tree.
function show(reply) {
  const first = !greeted;
  greeted = true;
  const tree = reply.layout;
  const box = explanation(tree, 3);
  if (changedFor(reply.answers)) box.querySelector(".explanation__headline").after(changedNote());
  const onScreen = result.querySelector(":scope > .explanation");
  if (onScreen) update(onScreen, box);
  else result.replaceChildren(box);
  result.dataset.outcome = tree.outcome;
  result.dataset.state = "ready";
  setBusy(false);
  startAgain.hidden = false;
  // The answer in one line: in the bar that keeps it one tap away on a phone, and for screen readers.
  verdictText.textContent = tree.in_short;
  verdict.dataset.outcome = tree.outcome;
  verdict.hidden = false;
  verdictRoom();
  announce(first ? `${widget.ready} ${tree.in_short}.` : `${tree.in_short}.`);
}

function progress(text) {
  const label = document.getElementById("checker-progress-text");
  if (label) label.textContent = text;
  announce(text);
}

// Take the one-line answer out of the verdict bar: it must never outlive the explanation it belongs to.
function hideVerdict() {
  verdict.hidden = true;
  verdictText.textContent = "";
  delete verdict.dataset.outcome;
  verdictRoom();
}

// The room below the page for the verdict bar while it is on screen (checker.css).
function verdictRoom() {
  document.documentElement.classList.toggle("checker-verdict-shown",
    !verdict.hidden && !verdict.classList.contains("checker-verdict--away"));
}

// A message in place of the explanation: a title, why, and what the caller can do now.
function message(kind, title, ...lines) {
  result.replaceChildren(el("div", { class: `checker-failed checker-failed--${kind}` },
    el("p", { class: "checker-failed__title" }, title), ...lines.map((line) => el("p", {}, line))));
}

// The checker cannot start, or stopped after it started (reason "stopped"): at any time, whatever it showed
// before goes, and the static explanation below is where to read on.
function fail(reason) {
  if (failed) return;
  failed = true;
  if (ready) reason = "stopped";
  ready = false;
  clearTimeout(timer);
  clearTimeout(replyTimer);
  replyTimer = null;
  if (worker) worker.terminate();
  worker = null;
  result.dataset.state = "failed";
  delete result.dataset.outcome;
  setBusy(false);
  const title = reason === "stopped" ? widget.stopped : widget.failed;
  const reasonText = widget.failed_reasons[reason] || widget.failed_reasons.load_error;
  message(reason === "stopped" ? "stopped" : "failed", title, reasonText, widget.failed_next);
  // The questions cannot do anything now; the static explanation below still can.
  form.hidden = true;
  hideVerdict();
  startAgain.hidden = true;
  announce(`${title} ${reasonText}`);
}

// The engine refused the answers (an answer it does not know: say, a page and checker data from two
// different builds). The last explanation was for other answers: it goes, with the verdict bar, and
// the caller is told why and what they can do. The checker still works: a changed answer is explained.
function refuse() {
  result.dataset.state = "refused";
  delete result.dataset.outcome;
  setBusy(false);
  message("refused", widget.refused, widget.refused_reason, widget.refused_next);
  hideVerdict();
  startAgain.hidden = false;
  announce(widget.refused);
}

// ---- the engine -----------------------------------------------------------------------------

// aria-busy is true from an answer until its explanation (or a message) is shown. The fade of what is on screen
// waits for a timer rather than a CSS transition delay on aria-busy: a transition starts in the first frame
// after every answer, even one explained a few milliseconds later, and starting it puts the explanation on a
// layer of its own (layout, paint and raster again), in the very frame that the reply then waits behind.
function setBusy(busy) {
  result.setAttribute("aria-busy", String(busy));
  if (busy) {
    if (fadeTimer === null) {
      fadeTimer = setTimeout(() => {
        result.classList.add("checker-result--late");
        verdict.classList.add("checker-verdict--late");
      }, FADE_AFTER_MS);
    }
  } else {
    clearTimeout(fadeTimer);
    fadeTimer = null;
    result.classList.remove("checker-result--late");
    verdict.classList.remove("checker-verdict--late");
  }
}

function evaluate() {
  const { answers, shown } = currentAnswers();
  if (ready) {
    latest += 1;
    // Asked first: the engine works on the answers while the page shows and hides the questions.
    worker.postMessage({ type: "evaluate", id: latest, answers });
    setBusy(true);
    awaitReply();
  }
  showQuestions(shown);
}

// A worker that has stopped (closed, killed by the browser, crashed without an error event) never
// replies and sends no event: the page would stay busy for ever under an explanation for other answers.
// The worker must answer something within reply_timeout_ms of being asked, or the checker has stopped.
function awaitReply() {
  if (replyTimer === null) replyTimer = setTimeout(() => fail("stopped"), config.reply_timeout_ms);
}

function replied(id) {
  clearTimeout(replyTimer);
  replyTimer = null;
  if (id !== latest) awaitReply();   // a newer question is still unanswered
}

function onMessage(event) {
  const msg = event.data;
  if (msg.type === "progress") {
    progress(widget[msg.step] || widget.loading);
  } else if (msg.type === "ready") {
    clearTimeout(timer);
    ready = true;
    evaluate();
  } else if (msg.type === "explanation") {
    if (failed) return;
    replied(msg.id);
    if (msg.id === latest) show(JSON.parse(msg.json));
  } else if (msg.type === "failed") {
    console.error("checker:", msg.message);
    fail(msg.reason);
  } else if (msg.type === "error") {
    // An answer the engine refused: the explanation on screen is for other answers, so it goes.
    if (failed) return;
    console.error("checker:", msg.message);
    replied(msg.id);
    if (msg.id === latest) refuse();
  }
}

function start() {
  document.getElementById("checker-no-script").hidden = true;
  live.hidden = false;
  document.getElementById("checker").classList.add("checker--started");
  startAgain.hidden = true;
  result.dataset.state = "loading";
  progress(widget.loading);
  if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
    fail("no_webassembly");
    return;
  }
  timer = setTimeout(() => fail("timeout"), config.timeout_ms);
  // The worker that the page's first script started (checker-start.js), or one started now (saving data, or the
  // first script could not start it). It kept what the worker said so far: that is read first, in order.
  const boot = window.checkerStart;
  if (!boot) {
    console.error("checker: the page's first script (checker-start.js) did not run");
    fail("load_error");
    return;
  }
  let started = boot.started;
  try {
    if (!started) started = boot.start();
  } catch (err) {
    console.error("checker:", err);
    fail("load_error");
    return;
  }
  boot.started = null;
  worker = started.worker;
  started.listener = onWorkerEvent;
  for (const event of started.events.splice(0)) onWorkerEvent(event);
}

function onWorkerEvent(event) {
  if (failed) return;   // the worker is stopped: only events it had sent before can still come, from the queue
  if (event.type === "message") onMessage(event);
  // A worker that cannot be fetched or parsed (missing file, refused by the page's policy), or an error
  // nothing in the worker caught, at any time: before "ready" it could not start, after it it stopped.
  else if (event.type === "error") {
    console.error("checker:", event.message);
    fail("load_error");
  } else {
    // A reply that cannot be read is no reply: the page cannot know what the engine said.
    console.error("checker: a reply could not be read");
    fail("load_error");
  }
}

function startAgainClicked() {
  form.reset();
  evaluate();
  const first = form.querySelector("input:not([type=hidden])");
  if (first) first.focus();
}

form.addEventListener("submit", (event) => event.preventDefault());
// A date is followed by its "input" events alone, so that a date typed in full counts at once
// (without waiting for the field to lose focus) and costs the engine one evaluation, not two.
form.addEventListener("change", (event) => { if (event.target.type !== "date") evaluate(); });
form.addEventListener("input", (event) => { if (event.target.type === "date") evaluate(); });
startAgain.addEventListener("click", startAgainClicked);
// Leaving the page forgets the answers, so that Back (or the back-forward cache) never shows them.
window.addEventListener("pagehide", () => { form.reset(); showQuestions(); });
window.addEventListener("pageshow", (event) => { if (event.persisted && ready) evaluate(); });

// On a phone the explanation is below the questions: the verdict bar stands in for it while it is out of view,
// and steps aside once it is in view. Nothing moves the reader's focus or scrolls: the bar's link does, when asked.
// The heading counts as in view only with room for the verdict under it (the bottom 160 px of the window do not count).
if ("IntersectionObserver" in window) {
  new IntersectionObserver((entries) => {
    for (const entry of entries) verdict.classList.toggle("checker-verdict--away", entry.isIntersecting);
    verdictRoom();
  }, { rootMargin: "0px 0px -160px 0px" }).observe(document.getElementById("checker-result-heading"));
}

// Saving data: nothing is downloaded until asked. The page's first-paint script already shows this layout.
function offerStart() {
  const checker = document.getElementById("checker");
  const notice = document.getElementById("checker-save-data");
  checker.classList.remove("checker--js");
  checker.classList.add("checker--save-data", "checker--started");
  document.getElementById("checker-no-script").hidden = true;
  form.hidden = true;
  notice.hidden = false;
  document.getElementById("checker-start-live").addEventListener("click", () => {
    notice.hidden = true;
    form.hidden = false;
    checker.classList.replace("checker--save-data", "checker--js");
    start();
    // The button is gone: focus goes to the first question, as after "Start again".
    const first = form.querySelector("input:not([type=hidden])");
    if (first && !failed) first.focus();
  }, { once: true });
}

showQuestions();
if (navigator.connection && navigator.connection.saveData) offerStart();
else start();
