/*
 * 一体机（电子信息屏）: loaded only in kiosk builds (site_overrides/main.html, config.extra.kiosk).
 *
 * - the persistent bar's 返回 button; 首页 / 指南 / 检索 are plain links;
 * - idle reset: after data-idle-seconds without a touch, a dialog counts down (at least 20 s)
 *   and offers 继续浏览; at zero the kiosk clears localStorage, sessionStorage and every input
 *   and returns to its home page. `?idle=N` (5–3600 s) overrides the idle time until the next
 *   reset, for trying it out and for the browser tests;
 * - lock-down: no context menu, no pinch or ctrl-zoom, no drag; a link to another host, another
 *   scheme or a file is not followed (the page's QR code carries the address away instead);
 * - the on-screen-keyboard search (kiosk/search.html) against the local GET /api/search, with
 *   a candidate bar: pinyin or initials typed → the catalog's Chinese words (GET /api/pinyin, or
 *   assets/pinyin-words.json with the same rule when the service is not there), one tap each.
 * Plain ES2017, no framework, no external URL; text is inserted with textContent only.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = new URL("../../", script ? script.src : window.location.href);
  var home = new URL("kiosk/index.html", root);
  var MIN_COUNTDOWN = 20;
  var IDLE_KEY = "kiosk.idle";

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function storage(kind) {
    try { return window[kind]; } catch (e) { return null; }
  }

  /* ---------------------------------------------------------------- idle reset */

  function idleSeconds(bar) {
    var params = new URLSearchParams(window.location.search);
    var session = storage("sessionStorage");
    var asked = parseInt(params.get("idle") || "", 10);
    if (asked >= 5 && asked <= 3600 && session) session.setItem(IDLE_KEY, String(asked));
    var stored = session ? parseInt(session.getItem(IDLE_KEY) || "", 10) : NaN;
    if (stored >= 5 && stored <= 3600) return stored;
    var configured = parseInt(bar.getAttribute("data-idle-seconds") || "", 10);
    return configured >= 5 ? configured : 120;
  }

  function resetKiosk() {
    Array.prototype.forEach.call(document.querySelectorAll("input, textarea, select"), function (field) {
      if (field.type === "checkbox" || field.type === "radio") field.checked = field.defaultChecked;
      else field.value = "";
    });
    ["localStorage", "sessionStorage"].forEach(function (kind) {
      var store = storage(kind);
      if (store) store.clear();
    });
    window.location.replace(home.href);
  }

  function nothingToReset() {
    var local = storage("localStorage");
    var session = storage("sessionStorage");
    var atHome = window.location.pathname === home.pathname && !window.location.search;
    return atHome && window.scrollY === 0 && (!local || !local.length) && (!session || !session.length);
  }

  function startIdleTimer(bar) {
    var dialog = document.getElementById("kiosk-idle");
    if (!dialog) return;
    var counter = dialog.querySelector("[data-kiosk-countdown]");
    var stay = dialog.querySelector("[data-kiosk-stay]");
    var idle = idleSeconds(bar) * 1000;
    var countdown = Math.max(MIN_COUNTDOWN, parseInt(bar.getAttribute("data-countdown-seconds") || "", 10) || 30);
    var idleTimer = null;
    var tick = null;
    var left = countdown;

    function arm() {
      window.clearTimeout(idleTimer);
      idleTimer = window.setTimeout(warn, idle);
    }
    function warn() {
      if (nothingToReset()) { arm(); return; }
      left = countdown;
      counter.textContent = String(left);
      dialog.hidden = false;
      stay.focus();
      tick = window.setInterval(function () {
        left -= 1;
        counter.textContent = String(Math.max(left, 0));
        if (left <= 0) { window.clearInterval(tick); resetKiosk(); }
      }, 1000);
    }
    function keep() {
      window.clearInterval(tick);
      dialog.hidden = true;
      arm();
    }
    function activity() {
      if (dialog.hidden) arm();
    }
    stay.addEventListener("click", keep);
    dialog.querySelector("[data-kiosk-reset]").addEventListener("click", resetKiosk);
    ["pointerdown", "touchstart", "keydown", "wheel", "scroll"].forEach(function (type) {
      window.addEventListener(type, activity, { passive: true, capture: true });
    });
    arm();
  }

  /* ---------------------------------------------------------------- lock-down */

  var noticeTimer = null;
  function notify(message) {
    var box = document.querySelector(".kiosk-notice");
    if (!box) {
      box = el("div", { class: "kiosk-notice", role: "status", "aria-live": "polite" });
      document.body.appendChild(box);
    }
    box.textContent = message;
    box.hidden = false;
    window.clearTimeout(noticeTimer);
    noticeTimer = window.setTimeout(function () { box.hidden = true; }, 5000);
  }

  function staysInKiosk(url) {
    if (url.origin !== window.location.origin) return false;
    return /(\.html|\/)$/.test(url.pathname);
  }

  function guardLinks() {
    Array.prototype.forEach.call(document.querySelectorAll("a[target]"), function (a) {
      a.removeAttribute("target");
    });
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link) return;
      var url;
      try { url = new URL(link.getAttribute("href"), window.location.href); } catch (e) { url = null; }
      if (!url || !staysInKiosk(url) || link.hasAttribute("download")) {
        event.preventDefault();
        notify("一体机不能打开外部网址或下载文件。请用手机扫描页面上的二维码查看。");
      }
    }, true);
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var url = new URL(form.getAttribute("action") || "", window.location.href);
      if (!staysInKiosk(url)) event.preventDefault();
    }, true);
  }

  function blockGestures() {
    document.addEventListener("contextmenu", function (event) { event.preventDefault(); });
    document.addEventListener("dragstart", function (event) { event.preventDefault(); });
    document.addEventListener("wheel", function (event) {
      if (event.ctrlKey) event.preventDefault();
    }, { passive: false });
    document.addEventListener("touchmove", function (event) {
      if (event.touches && event.touches.length > 1) event.preventDefault();
    }, { passive: false });
    document.addEventListener("gesturestart", function (event) { event.preventDefault(); });
    document.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && /^[-+=0sopn]$/i.test(event.key)) event.preventDefault();
    });
  }

  function wireBack(bar) {
    var back = bar.querySelector("[data-kiosk-back]");
    if (!back) return;
    back.addEventListener("click", function () {
      var sameSite = document.referrer && new URL(document.referrer).origin === window.location.origin;
      if (sameSite && window.history.length > 1) window.history.back();
      else window.location.href = home.href;
    });
  }

  /* ---------------------------------------------------------------- on-screen keyboard search */

  var PAGE_SIZE = 6;
  var MAX_QUERY = 40;

  function searchApp(app) {
    var input = document.getElementById("kiosk-q");
    var status = document.getElementById("kiosk-status");
    var list = document.getElementById("kiosk-results");
    var pager = document.getElementById("kiosk-pager");
    var where = document.getElementById("kiosk-page-where");
    var api = new URL(app.getAttribute("data-api") || "../api/search", window.location.href);
    var labels = null;
    var serial = 0;
    var debounce = null;
    var state = { q: "", page: 1, total: 0 };

    function loadLabels() {
      if (labels) return Promise.resolve(labels);
      return fetch(new URL("assets/catalog-browser.json", root).href)
        .then(function (response) { return response.ok ? response.json() : {}; })
        .catch(function () { return {}; })
        .then(function (data) {
          labels = {};
          (data.departments || []).forEach(function (pair) { labels[pair[0]] = pair[1]; });
          return labels;
        });
    }

    function remember() {
      var params = new URLSearchParams();
      if (state.q) params.set("q", state.q);
      if (state.page > 1) params.set("page", String(state.page));
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    }

    function hitNode(hit, names) {
      var meta = [hit.published, names[hit.department] || hit.department].filter(Boolean).join(" · ");
      return el("li", {}, [el("a", { class: "kiosk-record", href: new URL(hit.url, root).href }, [
        el("span", { class: "kiosk-record__title", text: hit.title }),
        el("span", { class: "kiosk-record__meta", text: meta })
      ])]);
    }

    function suggestionNodes(value) {
      var words = ((value.suggestions || {}).did_you_mean || []).slice(0, 5);
      if (!words.length) return null;
      return el("li", {}, [
        el("p", { class: "kiosk-search__label", text: "您是不是要找：" }),
        el("ul", { class: "kiosk-chips" }, words.map(function (word) {
          return el("li", {}, [el("button", { type: "button", class: "kiosk-chip", "data-query": word, text: word })]);
        }))
      ]);
    }

    function show(value, names) {
      list.textContent = "";
      state.total = value.total || 0;
      status.textContent = "“" + state.q.toUpperCase() + "”：共找到 " + state.total + " 条";
      if (!state.total) {
        status.textContent = "“" + state.q.toUpperCase() + "”：没有找到。请减少字母或换一个词。";
        var tips = suggestionNodes(value);
        if (tips) list.appendChild(tips);
      }
      (value.hits || []).forEach(function (hit) { list.appendChild(hitNode(hit, names)); });
      var pages = Math.min(100, Math.ceil(state.total / PAGE_SIZE));
      pager.hidden = pages <= 1;
      where.textContent = "第 " + state.page + " / " + pages + " 页";
      pager.querySelector("[data-page=prev]").disabled = state.page <= 1;
      pager.querySelector("[data-page=next]").disabled = state.page >= pages;
    }

    function run() {
      var mine = ++serial;
      remember();
      if (!state.q.trim()) {
        list.textContent = "";
        pager.hidden = true;
        status.textContent = "请用屏幕键盘输入，或点按热门检索。";
        return;
      }
      status.textContent = "正在检索……";
      var params = new URLSearchParams({ q: state.q.trim(), page: String(state.page), size: String(PAGE_SIZE) });
      Promise.all([fetch(api.href + "?" + params.toString()), loadLabels()]).then(function (both) {
        var response = both[0];
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") !== 0) throw new Error("no search service");
        return response.json().then(function (value) {
          if (mine !== serial) return;
          if (!response.ok) { status.textContent = value.error || "检索失败。"; list.textContent = ""; return; }
          show(value, both[1]);
        });
      }).catch(function () {
        if (mine === serial) status.textContent = "检索服务暂时不可用。请点按“首页”按分类浏览。";
      });
    }

    function setQuery(text, now) {
      state.q = text.slice(0, MAX_QUERY);
      state.page = 1;
      input.value = state.q;
      bar.offer(state.q);
      window.clearTimeout(debounce);
      if (now) run();
      else debounce = window.setTimeout(run, 400);
    }

    app.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button") : null;
      if (!button) return;
      var key = button.getAttribute("data-key");
      var action = button.getAttribute("data-action");
      var query = button.getAttribute("data-query");
      if (key !== null) setQuery(state.q + key, false);
      else if (action === "backspace") setQuery(state.q.slice(0, -1), false);
      else if (action === "clear") setQuery("", true);
      else if (action === "search") setQuery(state.q, true);
      else if (query !== null) setQuery(query, true);
    });
    pager.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("button[data-page]") : null;
      if (!button || button.disabled) return;
      state.page += button.getAttribute("data-page") === "next" ? 1 : -1;
      run();
      window.scrollTo(0, app.offsetTop);
    });

    var bar = candidateBar(document.getElementById("kiosk-candidates"));
    var params = new URLSearchParams(window.location.search);
    var page = parseInt(params.get("page") || "1", 10);
    state.q = (params.get("q") || "").slice(0, MAX_QUERY);
    state.page = page >= 1 && page <= 100 ? page : 1;
    input.value = state.q;
    bar.offer(state.q);
    run();
  }

  /* ---------------------------------------------------------------- pinyin candidate bar */

  var MAX_CANDIDATES = 12;

  function candidateBar(box) {
    if (!box) return { offer: function () {} };
    var api = new URL(box.getAttribute("data-api") || "../api/pinyin", window.location.href);
    var file = new URL(box.getAttribute("data-words") || "../assets/pinyin-words.json", window.location.href);
    var words = null;
    var serial = 0;

    function fromFile(typed) {  /* the rule of generator/search/pinyin_words.candidates */
      if (!words) {
        words = fetch(file.href).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
      }
      return words.then(function (data) {
        if (!data) return [];
        var exact = [];
        var rest = [];
        data.words.forEach(function (text, i) {
          var initials = data.initials[i];
          var pinyin = data.pinyin[i];
          if (initials.indexOf(typed) !== 0 && pinyin.indexOf(typed) !== 0) return;
          var found = { text: text, records: data.records[i] };
          if (typed === initials || typed === pinyin) exact.push(found); else rest.push(found);
        });
        return exact.concat(rest).slice(0, MAX_CANDIDATES);
      });
    }

    function fetchCandidates(typed) {
      return fetch(api.href + "?" + new URLSearchParams({ q: typed }).toString()).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (!response.ok || type.indexOf("application/json") !== 0) throw new Error("no service");
        return response.json().then(function (value) { return value.candidates || []; });
      }).catch(function () { return fromFile(typed); });
    }

    function show(found) {
      box.textContent = "";
      found.forEach(function (word) {
        box.appendChild(el("button", { type: "button", class: "kiosk-candidate", "data-query": word.text,
          "aria-label": word.text + "，" + word.records + " 条" }, [
          el("span", { class: "kiosk-candidate__text", text: word.text }),
          el("span", { class: "kiosk-candidate__count", text: word.records + " 条" })
        ]));
      });
      box.hidden = !found.length;
    }

    return {
      offer: function (query) {
        var typed = query.replace(/ /g, "").toLowerCase();
        var mine = ++serial;
        if (!/^[a-z]{1,40}$/.test(typed)) { show([]); return; }
        fetchCandidates(typed).then(function (found) { if (mine === serial) show(found); });
      }
    };
  }

  /* ---------------------------------------------------------------- start */

  function start() {
    var bar = document.querySelector("[data-kiosk-bar]");
    if (!bar) return;
    wireBack(bar);
    guardLinks();
    blockGestures();
    startIdleTimer(bar);
    var app = document.getElementById("kiosk-search");
    if (app) searchApp(app);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
