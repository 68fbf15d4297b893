/* Keyboard and screen-reader help that every page shares (issue 20). Loaded with `defer` from base.html; the
   Content-Security-Policy allows it as a file of our own. Pages work without it; it only adds:
   1. scrollable table regions (and preformatted text): role="region", a name (the caption or the nearest heading), and
      tabindex="0" while the table is wider than its box, so a keyboard user can scroll it;
   2. focus on arrival: a link or redirect to "#some-id" whose element carries data-focus-on-arrival puts focus on
      that element's first control (after a decision the verifier lands on the next document's decision);
   3. a form shown again with errors puts focus on its first invalid field, whose label and error
      (aria-describedby) the screen reader then reads;
   4. icons (Bootstrap Icons) are hidden from screen readers: the text beside them names the control. */
(function () {
  "use strict";

  function headingBefore(node) {
    for (let el = node; el && el !== document.body; el = el.parentElement) {
      for (let sib = el.previousElementSibling; sib; sib = sib.previousElementSibling) {
        const h = sib.matches("h1, h2, h3, h4, h5, h6") ? sib : sib.querySelector("h1, h2, h3, h4, h5, h6");
        if (h && h.textContent.trim()) return h.textContent.trim();
      }
    }
    return document.title;
  }

  function labelTables() {
    document.querySelectorAll(".table-responsive, main pre").forEach(function (box) {
      box.setAttribute("role", "region");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        const caption = box.querySelector("caption");
        box.setAttribute("aria-label", caption && caption.textContent.trim() ? caption.textContent.trim() : headingBefore(box));
      }
      if (box.dataset.tabindexSet !== "fixed") {
        if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
        else box.removeAttribute("tabindex");
      }
    });
  }

  function firstControl(root) {
    return root.querySelector("input:not([type=hidden]):not([disabled]), select, textarea, button, a[href]");
  }

  function focusOnArrival() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && document.getElementById(id);
    if (target && target.hasAttribute("data-focus-on-arrival")) {
      const control = firstControl(target) || target;
      control.focus();
      return true;
    }
    return false;
  }

  function focusFirstError() {
    const invalid = document.querySelector("main [aria-invalid=true], main .is-invalid");
    if (invalid && typeof invalid.focus === "function") invalid.focus();
  }

  function arrive() {
    if (!focusOnArrival()) focusFirstError();
  }

  function start() {
    labelTables();
    // Icon fonts draw with private-use characters that screen readers would read out as part of a link's name.
    document.querySelectorAll("i.bi:not([aria-hidden])").forEach(function (icon) { icon.setAttribute("aria-hidden", "true"); });
    // Chromium scrolls to the "#fragment" once the page has loaded and then clears focus when the target is not
    // focusable itself: focus is moved after that.
    if (document.readyState === "complete") window.setTimeout(arrive, 0);
    else window.addEventListener("load", function () { window.setTimeout(arrive, 0); });
    // a link to "#some-id" on the same page (the event page's "who acts next" line to its step) arrives too
    window.addEventListener("hashchange", function () { window.setTimeout(focusOnArrival, 0); });
    let pending = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(labelTables, 150);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

/* Actions that cannot be undone ask first: a form with data-confirm="..." (or the button that sends it, when
   a form's buttons decide differently, e.g. K or BK) states the consequence in a confirmation dialog and is sent
   only when the person agrees (without JavaScript the server's own checks still apply). */
document.addEventListener("submit", function (event) {
  var button = event.submitter && event.submitter.closest("[data-confirm]");
  var form = event.target.closest("form[data-confirm]");
  var question = button && event.target.contains(button) ? button.dataset.confirm : form && form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

/* The assessor's results (one row per unit): choosing K or BK opens the unit's evidence and notes when the
   evidence is still empty, since a result needs its evidence (and a BK its explanation). Focus stays on the
   choice, so arrow keys keep moving between K and BK. */
document.addEventListener("change", function (event) {
  var choice = event.target.closest(".result-choice input[type=radio]");
  if (!choice) return;
  var row = choice.closest(".unit-row");
  var details = row && row.querySelector("details.unit-evidence");
  var evidence = row && row.querySelector("textarea[name^=evidence_]");
  if (details && evidence && (!evidence.value.trim() || choice.value === "BK")) details.open = true;
});
