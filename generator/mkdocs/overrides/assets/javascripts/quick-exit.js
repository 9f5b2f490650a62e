/*
 * Quick exit (see overrides/partials/quick-exit.html for the markup and every word the reader meets).
 *
 * - The button, or Shift pressed three times within five seconds (GOV.UK's "Exit this page" shortcut):
 *   the page blanks at once, then the tab goes to the neutral site with location.replace, so this page
 *   leaves no entry in the tab's history. No Escape shortcut: Escape also stops a page loading, so a
 *   second press could cancel the exit.
 * - With replace-history on, moving between this site's pages replaces the history entry too, so after
 *   an exit Back cannot reach any page of the site.
 * - If the browser brings this page back from its back-forward cache after an exit, it blanks and leaves
 *   again. The flag that says so lives in this page's memory only: nothing is stored on the device.
 */
(function () {
  "use strict";

  var link = document.querySelector("[data-qe-exit]");
  if (!link) return;
  var status = document.querySelector("[data-qe-status]");
  var neutral = link.href;
  var replaceHistory = link.getAttribute("data-qe-replace-history") === "true";
  var PRESSES = 3;
  var WINDOW_MS = 5000;

  var exited = false; // survives a back-forward cache restore, as the whole page does; never stored

  function announce(key) {
    // Clear first, so that the same words twice are announced twice.
    status.textContent = "";
    var text = link.getAttribute("data-qe-" + key);
    if (text) window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function leave() {
    exited = true;
    document.documentElement.classList.add("qe-leaving"); // blank now, before the next page arrives
    document.title = "";
    window.location.replace(neutral);
  }

  link.addEventListener("click", function (event) {
    // Any click on it leaves in this tab, even with a modifier: a new tab would leave this one open.
    event.preventDefault();
    leave();
  });

  window.addEventListener("pageshow", function (event) {
    if (event.persisted && exited) leave();
  });

  // Shift three times. A Shift that is part of a combination (Shift+A, Ctrl+Shift) does not count,
  // and any other key starts the count again.
  var count = 0;
  var timer = null;
  var shiftDown = false;
  var combined = false;

  function held(event) {
    return event.ctrlKey || event.altKey || event.metaKey;
  }

  function reset(expired) {
    if (timer) window.clearTimeout(timer);
    timer = null;
    if (expired && count > 0) announce("expired");
    count = 0;
  }

  window.addEventListener("keydown", function (event) {
    if (event.isComposing) return;
    if (event.key === "Shift") {
      if (!event.repeat) {
        shiftDown = true;
        combined = held(event); // Ctrl, Alt or Meta already down: a combination
      }
      return;
    }
    if (shiftDown) combined = true;
    reset(false);
  }, true);

  window.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") return;
    var counts = shiftDown && !combined && !held(event);
    shiftDown = false;
    combined = false;
    if (!counts) return;
    count += 1;
    if (timer) window.clearTimeout(timer);
    if (count >= PRESSES) {
      reset(false);
      announce("leaving");
      leave();
      return;
    }
    timer = window.setTimeout(function () { reset(true); }, WINDOW_MS); // restarted on each press
    announce("presses-" + (PRESSES - count));
  }, true);

  // A Shift released while the window had no focus never reaches us: start clean when focus returns.
  window.addEventListener("blur", function () {
    shiftDown = false;
    combined = false;
  });

  if (!replaceHistory) return;

  function sameSite(url) {
    return url.origin === window.location.origin && /^https?:$/.test(url.protocol);
  }

  // Moving between this site's pages replaces the history entry instead of adding one.
  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return; // new tab or window
    var anchor = event.target.closest ? event.target.closest("a[href]") : null;
    if (!anchor || anchor.hasAttribute("download")) return;
    var target = anchor.getAttribute("target");
    if (target && target !== "_self") return;
    var url = new URL(anchor.href, window.location.href);
    if (!sameSite(url)) return;
    event.preventDefault();
    window.location.replace(url.href); // a link within this page moves there, replacing the entry too
  });

  // Forms that navigate (GET) do the same; scripts that handle their own forms cancel the event first.
  document.addEventListener("submit", function (event) {
    if (event.defaultPrevented) return;
    var form = event.target;
    if ((form.getAttribute("method") || "get").toLowerCase() !== "get") return;
    if (form.getAttribute("target") && form.getAttribute("target") !== "_self") return;
    var url = new URL(form.action || window.location.href, window.location.href);
    if (!sameSite(url)) return;
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) data.append(event.submitter.name, event.submitter.value);
    url.search = new URLSearchParams(data).toString();
    event.preventDefault();
    window.location.replace(url.href);
  });
})();
