/*
 * 目录检索: filters the whole catalog in the browser.
 *
 * Mounts on <div id="catalog-browser" data-src="assets/catalog-browser.json"> (data-src is
 * relative to the page). The data format is documented in generator/outputs/browse_data.py.
 * Plain ES2017, no framework, no external URL; all text is inserted with textContent, never as
 * HTML. Keywords are read as generator/search/query_text.py reads a query (NFKC, 文号 brackets
 * and ordinals, question words; tests/test_query_browser.py keeps the two lists equal), and a
 * record must hold every space-separated word.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 50;
  var DEBOUNCE_MS = 150;
  // U+E000 escapes a literal private-use character; U+E001 + i stands for dictionary[i].
  var CODED = /\uE000([\uE000-\uF8FF])|[\uE001-\uF8FF]/g;
  var DAY_MS = 86400000;
  var FILTERS = [
    { key: "c", label: "目录分类", all: "全部分类" },
    { key: "d", label: "发布机构", all: "全部机构" },
    { key: "y", label: "发布年份", all: "全部年份" },
    { key: "t", label: "主题分类", all: "全部主题" },
    { key: "v", label: "有效性", all: "全部" }
  ];
  var COLUMNS = ["索引号", "信息名称", "发布机构", "发布日期", "文号"];
  // generator/search/query_text.py QUESTION_WORDS, longest first
  var QUESTION_WORDS = [
    "可不可以", "为什么", "在哪儿", "在哪里", "怎么办", "怎么样", "有没有", "能不能", "什么", "可以", "哪个", "哪些", "哪儿", "哪里",
    "在哪", "多少", "如何", "怎么", "怎样", "想要", "我们", "我想", "我要", "是否", "能否", "请问", "需要", "与", "么", "了",
    "你", "去", "及", "吗", "吧", "呀", "呢", "咋", "和", "啊", "啥", "在", "地", "应", "得", "怎", "您", "想",
    "我", "或", "是", "有", "的", "着", "要", "该", "谁", "过"
  ];
  var YEAR_BRACKETS = /[\[［(（【〖﹝〔{｛]\s*([0-9]{4})\s*[\]］)）】〗﹞〕}｝]/g;
  var ORDINAL = /(〔[0-9]{4}〕)\s*第?\s*0*(?=[1-9][0-9]*\s*号)/g;
  var cache = {};

  function decoder(dictionary) {
    return function (text) {
      return text.replace(CODED, function (match, literal) {
        return literal !== undefined ? literal : dictionary[match.charCodeAt(0) - 0xE001];
      });
    };
  }

  function patternText(pattern, number) {
    if (pattern[1] < 0) return pattern[0];
    var digits = String(number);
    while (digits.length < pattern[1]) digits = "0" + digits;
    return pattern[0] + digits + pattern[2];
  }

  /* Column data → one object of parallel arrays, decoded once. */
  function decode(data, root) {
    var n = data.count;
    var text = decoder(data.dictionary);
    var rows = { n: n, title: [], id: [], doc: [], date: [], year: [], url: [], haystack: [] };
    var day = 0;
    for (var i = 0; i < n; i++) {
      day = i === 0 ? data.published[0] : day - data.published[i];
      var iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
      var title = text(data.title[i]);
      var id = patternText(data.patterns[data.id_pattern[i]], data.id_number[i]);
      var doc = patternText(data.patterns[data.doc_pattern[i]], data.doc_number[i]);
      var dept = data.departments[data.department[i]];
      var path = "records/" + (dept ? dept[0] : "") + "/" + data.dirs[data.dir[i]] +
        text(data.name[i]) + ".html";
      rows.title.push(title);
      rows.id.push(id);
      rows.doc.push(doc);
      rows.date.push(iso);
      rows.year.push(Number(iso.slice(0, 4)));
      rows.url.push(new URL(path, root).href);
      rows.haystack.push(fold(title + "\n" + doc + "\n" + id).replace(/ /g, ""));
    }
    return rows;
  }

  /* A query or a record's text as query_text.fold reads it (no traditional → simplified). */
  function fold(text) {
    return text.normalize("NFKC").replace(YEAR_BRACKETS, "〔$1〕").replace(ORDINAL, "$1")
      .replace(/[ \t\u3000]+/g, " ").trim().toLowerCase();
  }

  /* The words a record must all hold: question words cut out of each, empty words dropped. */
  function queryWords(q) {
    var words = fold(q).split(" ").filter(Boolean);
    var kept = words.map(function (word) {
      if (QUESTION_WORDS.indexOf(word) !== -1) return "";
      QUESTION_WORDS.forEach(function (question) {
        if (question.length > 1) word = word.split(question).join(" ");
      });
      return word;
    }).join(" ").split(" ").filter(Boolean);
    return kept.length ? kept : words;
  }

  function load(src) {
    if (!cache[src]) {
      cache[src] = fetch(src).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).catch(function (error) {
        delete cache[src];
        throw error;
      });
    }
    return cache[src];
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  /* Filter options: [value, label] pairs per filter key. */
  function optionsFor(data, rows) {
    var years = {};
    rows.year.forEach(function (y) { years[y] = true; });
    return {
      c: data.categories.map(function (c) { return [c[0], c[1]]; }),
      d: data.departments.map(function (d) { return [d[0], d[1]]; }),
      y: Object.keys(years).sort().reverse().map(function (y) { return [y, y + "年"]; }),
      t: data.topics.map(function (t) { return [t, t.replace("\\", " / ")]; }),
      v: data.validity.map(function (v) { return [v[0], v[1]]; })
    };
  }

  function isoDate(value) {
    return /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(value || "") ? value : "";
  }

  function readHash() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var state = { q: params.get("q") || "", p: Math.max(1, parseInt(params.get("p"), 10) || 1),
      from: isoDate(params.get("from")), to: isoDate(params.get("to")) };
    FILTERS.forEach(function (f) { state[f.key] = params.get(f.key) || ""; });
    return state;
  }

  function writeHash(state) {
    var params = new URLSearchParams();
    FILTERS.concat([{ key: "q" }, { key: "from" }, { key: "to" }]).forEach(function (f) {
      if (state[f.key]) params.set(f.key, state[f.key]);
    });
    if (state.p > 1) params.set("p", String(state.p));
    var hash = params.toString();
    var url = location.pathname + location.search + (hash ? "#" + hash : "");
    if (url !== location.pathname + location.search + location.hash) {
      history.replaceState(history.state, "", url);
    }
  }

  /* Indexes of the rows matching the state, in data order (newest first). */
  function filterRows(data, rows, state) {
    var lookup = function (table, value, pick) {
      for (var i = 0; i < table.length; i++) if (pick(table[i]) === value) return i;
      return -2; // an unknown value in the URL matches nothing
    };
    var first = function (entry) { return entry[0]; };
    var same = function (entry) { return entry; };
    var c = state.c ? lookup(data.categories, state.c, first) : -1;
    var d = state.d ? lookup(data.departments, state.d, first) : -1;
    var t = state.t ? lookup(data.topics, state.t, same) : -1;
    var v = state.v ? lookup(data.validity, state.v, first) : -1;
    var y = state.y ? Number(state.y) : 0;
    var words = queryWords(state.q);
    var hits = [];
    for (var i = 0; i < rows.n; i++) {
      if (c !== -1 && data.category[i] !== c) continue;
      if (d !== -1 && data.department[i] !== d) continue;
      if (t !== -1 && data.topic[i] !== t) continue;
      if (v !== -1 && data.validity_of[i] !== v) continue;
      if (y && rows.year[i] !== y) continue;
      if (state.from && rows.date[i] < state.from) continue;
      if (state.to && rows.date[i] > state.to) continue;
      if (!words.every(function (word) { return rows.haystack[i].indexOf(word) !== -1; })) continue;
      hits.push(i);
    }
    return hits;
  }

  function buildForm(options, ids) {
    var fields = [];
    var query = element("input", {
      id: ids.q, type: "search", name: "q", autocomplete: "off",
      placeholder: "标题、文号或索引号中的文字，多个词用空格分开"
    });
    fields.push(element("div", { "class": "cb-field cb-field--query" }, [
      element("label", { "for": ids.q, text: "关键词（标题、文号、索引号）" }), query
    ]));
    [["from", "发布日期从"], ["to", "发布日期至"]].forEach(function (pair) {
      fields.push(element("div", { "class": "cb-field cb-field--date" }, [
        element("label", { "for": ids[pair[0]], text: pair[1] }),
        element("input", { id: ids[pair[0]], type: "date", name: pair[0] })
      ]));
    });
    FILTERS.forEach(function (f) {
      var select = element("select", { id: ids[f.key], name: f.key }, [
        element("option", { value: "", text: f.all })
      ]);
      options[f.key].forEach(function (o) {
        select.appendChild(element("option", { value: o[0], text: o[1] }));
      });
      fields.push(element("div", { "class": "cb-field" }, [
        element("label", { "for": ids[f.key], text: f.label }), select
      ]));
    });
    fields.push(element("div", { "class": "cb-field cb-field--actions" }, [
      element("button", { type: "reset", "class": "md-button", text: "清除条件" })
    ]));
    return element("form", { "class": "cb-form", role: "search", "aria-label": "目录检索条件" },
      fields);
  }

  function renderTable(tbody, data, rows, hits, page) {
    var body = document.createDocumentFragment();
    var start = (page - 1) * PAGE_SIZE;
    hits.slice(start, start + PAGE_SIZE).forEach(function (i) {
      var dept = data.departments[data.department[i]];
      var link = element("a", { href: rows.url[i], text: rows.title[i] });
      var validity = data.validity[data.validity_of[i]];
      var titleCell = element("td", { "class": "cb-title" }, [link]);
      if (validity && validity[0] !== "valid") {
        titleCell.appendChild(element("span", {
          "class": "cb-badge cb-badge--" + validity[0], text: validity[1]
        }));
      }
      body.appendChild(element("tr", {}, [
        element("td", { "class": "cb-id", text: rows.id[i] }),
        titleCell,
        element("td", { text: dept ? dept[1] : "" }),
        element("td", { "class": "cb-date", text: rows.date[i] }),
        element("td", { text: rows.doc[i] })
      ]));
    });
    tbody.textContent = "";
    tbody.appendChild(body);
  }

  function mount(root) {
    if (root.getAttribute("data-mounted")) return;
    root.setAttribute("data-mounted", "true");
    var src = new URL(root.getAttribute("data-src") || "assets/catalog-browser.json",
      document.baseURI).href;
    var status = element("p", {
      "class": "cb-status", role: "status", "aria-live": "polite", tabindex: "-1",
      text: "正在加载目录数据……"
    });
    root.textContent = "";
    root.appendChild(status);
    load(src).then(function (data) {
      start(root, status, data, decode(data, new URL("../", src)));
    }).catch(function () {
      status.textContent = "目录数据加载失败，请刷新页面重试（本页需要通过网站访问，不能直接打开文件）。";
    });
  }

  function start(root, status, data, rows) {
    var ids = { q: "cb-q", from: "cb-from", to: "cb-to" };
    FILTERS.forEach(function (f) { ids[f.key] = "cb-" + f.key; });
    var form = buildForm(optionsFor(data, rows), ids);
    var tbody = element("tbody");
    var header = element("tr", {}, COLUMNS.map(function (name) {
      return element("th", { scope: "col", text: name });
    }));
    var table = element("table", { "class": "cb-table" }, [
      element("caption", { "class": "cb-caption", text: "目录检索结果（按发布日期从新到旧）" }),
      element("thead", {}, [header]), tbody
    ]);
    var prev = element("button", { type: "button", "class": "md-button", text: "上一页" });
    var next = element("button", { type: "button", "class": "md-button", text: "下一页" });
    var where = element("span", { "class": "cb-page" });
    var pager = element("nav", { "class": "cb-pager", "aria-label": "结果分页" }, [prev, where, next]);
    root.insertBefore(form, status);
    root.appendChild(element("div", { "class": "cb-scroll" }, [table]));
    root.appendChild(pager);

    var state = readHash();
    var hits = [];
    var timer = 0;

    function showState() {
      form.elements.q.value = state.q;
      form.elements.from.value = state.from;
      form.elements.to.value = state.to;
      FILTERS.forEach(function (f) { form.elements[f.key].value = state[f.key]; });
    }

    function emptyText() {
      var narrowed = state.from || state.to || FILTERS.some(function (f) { return state[f.key]; });
      var words = queryWords(state.q);
      if (narrowed) return "在所选条件下没有符合的信息。可以点按“清除条件”，或放宽日期范围。";
      return "没有标题、文号或索引号同时包含“" + words.join("”“") +
        "”的信息。可以换一个词、少输几个词，或到全文检索中查找正文。";
    }

    function update(announce) {
      hits = filterRows(data, rows, state);
      var pages = Math.max(1, Math.ceil(hits.length / PAGE_SIZE));
      state.p = Math.min(state.p, pages);
      renderTable(tbody, data, rows, hits, state.p);
      where.textContent = "第 " + state.p + " / " + pages + " 页";
      prev.disabled = state.p <= 1;
      next.disabled = state.p >= pages;
      table.hidden = hits.length === 0;
      pager.hidden = pages <= 1;
      if (announce !== false) {
        status.textContent = hits.length === 0
          ? emptyText()
          : "共找到 " + hits.length + " 条信息" + (pages > 1 ? "，第 " + state.p + " / " + pages + " 页" : "") + "。";
      }
      writeHash(state);
    }

    function fromForm() {
      state.q = form.elements.q.value;
      state.from = isoDate(form.elements.from.value);
      state.to = isoDate(form.elements.to.value);
      FILTERS.forEach(function (f) { state[f.key] = form.elements[f.key].value; });
      state.p = 1;
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fromForm();
      update();
    });
    form.addEventListener("change", function () { fromForm(); update(); });
    form.elements.q.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { fromForm(); update(); }, DEBOUNCE_MS);
    });
    form.addEventListener("reset", function () {
      // The reset event fires before the controls are cleared.
      setTimeout(function () { fromForm(); update(); }, 0);
    });
    function turn(delta) {
      state.p += delta;
      update();
      status.focus();
    }
    prev.addEventListener("click", function () { turn(-1); });
    next.addEventListener("click", function () { turn(1); });
    window.addEventListener("hashchange", function () {
      if (!document.body.contains(root)) return;
      state = readHash();
      showState();
      update();
    });
    showState();
    update();
  }

  // Under Node (tests, benchmarks) there is no DOM: expose the pure parts and stop.
  if (typeof module === "object" && module.exports) {
    module.exports = { decode: decode, filterRows: filterRows, patternText: patternText,
      fold: fold, queryWords: queryWords, QUESTION_WORDS: QUESTION_WORDS };
    return;
  }

  function mountAll() {
    var root = document.getElementById("catalog-browser");
    if (root) mount(root);
  }

  // Material's instant navigation swaps pages without a load event: it exposes document$.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(mountAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", mountAll);
  } else {
    mountAll();
  }
})();
