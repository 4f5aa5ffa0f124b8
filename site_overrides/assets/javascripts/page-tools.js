/*
 * Per-page tools of the public site: 字号 大/中/小 and 打印 (issue #15).
 *
 * Loaded synchronously in <head> like care-mode.js, so the stored text size is on <html>
 * (text-large / text-small) before the first paint; the toolbar itself is added under the
 * page title once the page has loaded. Works with and without 关怀版 (responsive.css scales
 * both). Without scripts there is no toolbar: the browser's own zoom and print remain. Plain ES5.
 */
(function () {
  "use strict";

  var KEY = "gov.text-size";
  var SIZES = [["large", "大"], ["medium", "中"], ["small", "小"]];
  var html = document.documentElement;

  function stored() {
    try { return window.localStorage.getItem(KEY) || "medium"; } catch (e) { return "medium"; }
  }

  function apply(size) {
    html.classList.toggle("text-large", size === "large");
    html.classList.toggle("text-small", size === "small");
    var buttons = document.querySelectorAll("[data-text-size]");
    for (var i = 0; i < buttons.length; i += 1) {
      buttons[i].setAttribute("aria-pressed", buttons[i].getAttribute("data-text-size") === size ? "true" : "false");
    }
  }

  function choose(size) {
    try {
      if (size === "medium") window.localStorage.removeItem(KEY);
      else window.localStorage.setItem(KEY, size);
    } catch (e) { /* storage disabled: this page only */ }
    apply(size);
  }

  function button(label, attributes) {
    var node = document.createElement("button");
    node.type = "button";
    node.textContent = label;
    Object.keys(attributes).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    return node;
  }

  function toolbar() {
    var bar = document.createElement("div");
    bar.className = "page-tools";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "页面工具");
    var label = document.createElement("span");
    label.className = "page-tools__label";
    label.id = "page-tools-size";
    label.textContent = "字号";
    bar.appendChild(label);
    SIZES.forEach(function (size) {
      bar.appendChild(button(size[1], {
        "data-text-size": size[0], "aria-pressed": "false", "aria-label": "字号" + size[1]
      }));
    });
    bar.appendChild(button("打印", { "data-print": "", "aria-label": "打印本页" }));
    return bar;
  }

  apply(stored());

  document.addEventListener("DOMContentLoaded", function () {
    var article = document.querySelector("article.md-content__inner");
    if (!article) return;
    var title = article.querySelector("h1");
    var bar = toolbar();
    if (title && title.parentNode) title.parentNode.insertBefore(bar, title.nextSibling);
    else article.insertBefore(bar, article.firstChild);
    apply(stored());
    bar.addEventListener("click", function (event) {
      var target = event.target;
      if (target.hasAttribute("data-text-size")) choose(target.getAttribute("data-text-size"));
      else if (target.hasAttribute("data-print")) window.print();
    });
  });

  window.addEventListener("storage", function (event) {
    if (event.key === KEY || event.key === null) apply(stored());
  });
})();
