/*
 * 关怀版 (elder-friendly mode) of the public site: larger text and high contrast.
 *
 * Loaded synchronously in <head> (site_overrides/main.html) so that the stored choice is applied
 * to <html> before the first paint: no flash of the small page. The header's
 * <button data-care-toggle aria-pressed> switches it; the choice is kept in localStorage and so
 * holds on every page and in other tabs. An external file, not an inline script, so the
 * Content-Security-Policy needs no new hash. Plain ES5.
 */
(function () {
  "use strict";

  var KEY = "gov.care-mode";
  var html = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }

  function save(on) {
    try {
      if (on) window.localStorage.setItem(KEY, "on");
      else window.localStorage.removeItem(KEY);
    } catch (e) { /* storage disabled: the choice holds for this page only */ }
  }

  function apply(on) {
    html.classList.toggle("care-mode", on);
    var buttons = document.querySelectorAll("[data-care-toggle]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  html.classList.add("care-mode-js");
  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    apply(html.classList.contains("care-mode"));
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-care-toggle]") : null;
      if (!button) return;
      var on = !html.classList.contains("care-mode");
      save(on);
      apply(on);
    });
  });

  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) apply(stored());
  });
})();
