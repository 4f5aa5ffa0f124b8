/*
 * 全文检索: the search page (search.md mounts <div id="search-app" data-src="pagefind/">).
 *
 * Served by `catalog serve`, it asks the local Whoosh service (GET /api/search, see
 * generator/serve.py); on a static host that request fails and it falls back to Pagefind
 * (<site>/pagefind/shards.json lists the index shards, each loaded with import()). Reads ?q=&category=&department=&year=&page=
 * so the header search box can link here. Plain ES2017, no framework, no external URL; text is
 * inserted with textContent, and <mark> in snippets is rebuilt as elements, never as HTML.
 */
(function () {
  "use strict";

  var PAGE_SIZE = 10;
  var MAX_PAGE = 100;
  var FILTERS = [
    { key: "category", label: "目录分类" },
    { key: "department", label: "发布机构" },
    { key: "year", label: "发布年份" }
  ];

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else if (name.slice(0, 2) === "on") node.addEventListener(name.slice(2), attributes[name]);
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  /* "甲<mark>乙</mark>丙" (HTML-escaped text with <mark> only) → DOM nodes, no HTML parsing
     of anything but plain text pieces. */
  function snippetNodes(snippet) {
    var decoder = new DOMParser();
    var marked = false;
    var out = document.createDocumentFragment();
    String(snippet || "").split(/(<mark>|<\/mark>)/).forEach(function (piece) {
      if (piece === "<mark>") { marked = true; return; }
      if (piece === "</mark>") { marked = false; return; }
      var text = decoder.parseFromString(piece, "text/html").body.textContent || "";
      if (text) out.appendChild(marked ? el("mark", { text: text }) : document.createTextNode(text));
    });
    return out;
  }

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var page = parseInt(params.get("page") || "1", 10);
    return {
      q: (params.get("q") || "").slice(0, 200),
      category: params.get("category") || "",
      department: params.get("department") || "",
      year: params.get("year") || "",
      page: page >= 1 && page <= MAX_PAGE ? page : 1
    };
  }

  function stateQuery(state) {
    var params = new URLSearchParams();
    ["q", "category", "department", "year"].forEach(function (key) {
      if (state[key]) params.set(key, state[key]);
    });
    if (state.page > 1) params.set("page", String(state.page));
    return params.toString();
  }

  /* ---------------------------------------------------------------- engines */

  function apiEngine(root) {
    var labels = null;
    function loadLabels() {
      if (labels) return Promise.resolve(labels);
      labels = { category: {}, department: {}, year: {} };
      return fetch(new URL("assets/catalog-browser.json", root).href)
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (data) {
          (data.categories || []).forEach(function (pair) { labels.category[pair[0]] = pair[1]; });
          (data.departments || []).forEach(function (pair) { labels.department[pair[0]] = pair[1]; });
          return labels;
        })
        .catch(function () { return labels; });
    }
    return {
      name: "api",
      search: function (state) {
        var params = stateQuery(state) + "&size=" + PAGE_SIZE;
        var url = new URL("api/search?" + params, root).href;
        return Promise.all([fetch(url, { headers: { Accept: "application/json" } }), loadLabels()])
          .then(function (both) {
            var response = both[0];
            var type = response.headers.get("Content-Type") || "";
            // a static host answers with its own 404 page; 503: the service has no index yet
            if (type.indexOf("application/json") !== 0 || response.status === 503) {
              throw new Error("no search service");
            }
            return response.json().then(function (value) {
              if (!response.ok) return { error: value.error || "检索失败。" };
              return {
                total: value.total,
                hits: value.hits.map(function (hit) {
                  return {
                    url: new URL(hit.url, root).href, title: hit.title, snippet: hit.snippet,
                    id: hit.id, published: hit.published,
                    department: both[1].department[hit.department] || hit.department
                  };
                }),
                facets: value.facets,
                label: function (key, value) { return both[1][key][value] || value; },
                suggestions: value.suggestions
              };
            });
          });
      }
    };
  }

  /* The Pagefind index is split into shards listed in shards.json: one per publication period
     (a year, or its halves, quarters or months: "2024", "2024-q3"), newest first, and one for
     the guide and other pages ("pages"). Each shard's pagefind.js is its own module (its own
     URL) with its own worker: instances of one module (createInstance) share one WASM memory,
     and Pagefind 1.5.2 then fails with "memory access out of bounds" on concurrent searches.
     A search loads only the shards it can match: a year filter, its year's periods; any filter,
     no pages shard (pages carry no filters). Results are merged here, not by mergeIndex, because
     Pagefind merges by score and a search without words must stay newest first: the shards'
     results are concatenated in shard order, and only word searches re-sorted by score (a
     stable sort). Filter counts are summed. */
  /* A search without words lists the records its filters match, newest first. Pagefind would
     fetch every index chunk of every shard for it (841 requests, 23 MB at 10,000 records); the
     catalog-browser data (assets/catalog-browser.json, format in
     generator/outputs/browse_data.py) holds every record's title, 索引号, department, category
     and date, newest first, in one file. Rejects when the file is missing or of another
     version: the shards answer instead. */
  function listingSource(root) {
    var CODED = /\uE000([\uE000-\uF8FF])|[\uE001-\uF8FF]/g;
    var DAY_MS = 86400000;
    var loading = null;
    function decode(data) {
      if (data.version !== 1) throw new Error("catalog-browser data version " + data.version);
      var text = function (value) {
        return value.replace(CODED, function (match, literal) {
          return literal !== undefined ? literal : data.dictionary[match.charCodeAt(0) - 0xE001];
        });
      };
      var rows = [];
      var day = 0;
      for (var i = 0; i < data.count; i++) {
        day = i === 0 ? data.published[0] : day - data.published[i];
        var iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
        var pattern = data.patterns[data.id_pattern[i]];
        var digits = String(data.id_number[i]);
        while (pattern[1] >= 0 && digits.length < pattern[1]) digits = "0" + digits;
        var dept = data.departments[data.department[i]] || ["", ""];
        var path = "records/" + dept[0] + "/" + data.dirs[data.dir[i]] + text(data.name[i]) + ".html";
        rows.push({
          title: text(data.title[i]), date: iso, year: iso.slice(0, 4), department: dept[1],
          category: (data.categories[data.category[i]] || ["", ""])[1],
          id: pattern[1] < 0 ? pattern[0] : pattern[0] + digits + pattern[2],
          url: new URL(path, root).href
        });
      }
      return rows;
    }
    return function (state) {
      if (!loading) {
        loading = fetch(new URL("assets/catalog-browser.json", root).href)
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.json();
          })
          .then(decode);
      }
      return loading.then(function (rows) {
        var matched = rows.filter(function (row) {
          return FILTERS.every(function (f) { return !state[f.key] || row[f.key] === state[f.key]; });
        });
        var facets = {};
        FILTERS.forEach(function (f) {
          facets[f.key] = {};
          matched.forEach(function (row) {
            facets[f.key][row[f.key]] = (facets[f.key][row[f.key]] || 0) + 1;
          });
        });
        var start = (state.page - 1) * PAGE_SIZE;
        return {
          total: matched.length,
          hits: matched.slice(start, start + PAGE_SIZE).map(function (row) {
            return {
              url: row.url, title: row.title, snippet: "", id: row.id, published: row.date,
              department: row.department
            };
          }),
          facets: facets,
          label: function (key, value) { return value; }
        };
      });
    };
  }

  function pagefindEngine(base, listRecords) {
    var listing = null;
    var shards = {};
    var merged = {};
    function shardList() {
      if (!listing) {
        listing = fetch(new URL("shards.json", base).href)
          .then(function (response) { return response.ok ? response.json() : { shards: [] }; })
          .then(function (list) { return list.shards || []; });
      }
      return listing;
    }
    function wanted(names, state) {
      var filtered = FILTERS.some(function (f) { return state[f.key]; });
      return names.filter(function (name) {
        var period = name.replace(/-pagefind$/, "");
        if (!/^[0-9]{4}/.test(period)) return !filtered;
        return !state.year || period.slice(0, 4) === state.year;
      });
    }
    function loadShard(url) {
      if (!shards[url]) {
        shards[url] = import(new URL("pagefind.js", url).href).then(function (pagefind) {
          return Promise.resolve(pagefind.options({ excerptLength: 40 })).then(function () {
            return pagefind;
          });
        });
      }
      return shards[url];
    }
    /* A word search is ranked by score across shards, which is what Pagefind's mergeIndex does:
       one module (imported under its own URL, so with its own worker and WASM memory) with the
       other shards merged into it, so each further shard costs only its entry, metadata and
       index chunks, not another pagefind.js, worker and WASM. */
    function loadMerged(urls, key) {
      if (!merged[key]) {
        var url = new URL("pagefind.js?words=" + encodeURIComponent(key), urls[0]).href;
        merged[key] = import(url).then(function (pagefind) {
          return Promise.resolve(pagefind.options({ excerptLength: 40 })).then(function () {
            return Promise.all(urls.slice(1).map(function (other) {
              return pagefind.mergeIndex(other, { excerptLength: 40 });
            }));
          }).then(function () { return [pagefind]; });
        });
      }
      return merged[key];
    }
    function load(state) {
      return shardList().then(function (names) {
        var urls = names.length ? wanted(names, state).map(function (name) {
          return new URL(name + "/", base).href;
        }) : [base.href];
        if (state.q && urls.length > 1) return loadMerged(urls, state.year || "all");
        return Promise.all(urls.map(loadShard));
      });
    }
    function sumFilters(all) {
      var sums = {};
      all.forEach(function (filters) {
        Object.keys(filters || {}).forEach(function (key) {
          sums[key] = sums[key] || {};
          Object.keys(filters[key]).forEach(function (value) {
            sums[key][value] = (sums[key][value] || 0) + filters[key][value];
          });
        });
      });
      return sums;
    }
    return {
      name: "pagefind",
      search: function (state) {
        if (!state.q) {
          return listRecords(state).catch(function () { return searchShards(state); });
        }
        return searchShards(state);
      }
    };
    function searchShards(state) {
        return load(state).then(function (shards) {
          var filters = {};
          FILTERS.forEach(function (f) { if (state[f.key]) filters[f.key] = state[f.key]; });
          var options = { filters: filters };
          if (!state.q) options.sort = { date: "desc" };
          return Promise.all(shards.map(function (pagefind) {
            return pagefind.search(state.q || null, options);
          })).then(function (founds) {
            founds = founds.filter(Boolean);
            var results = [].concat.apply([], founds.map(function (f) { return f.results; }));
            if (state.q) results.sort(function (a, b) { return b.score - a.score; });
            var start = (state.page - 1) * PAGE_SIZE;
            var slice = results.slice(start, start + PAGE_SIZE);
            return Promise.all(slice.map(function (r) { return r.data(); })).then(function (data) {
              return {
                total: results.length,
                hits: data.map(function (d) {
                  var meta = d.meta || {};
                  return {
                    url: d.url, title: meta.title || d.url, snippet: d.excerpt, id: meta.id || "",
                    published: meta.date || "", department: meta.department || ""
                  };
                }),
                facets: sumFilters(founds.map(function (f) { return f.filters; })),
                label: function (key, value) { return value; }
              };
            });
          });
        });
    }
  }

  /* ---------------------------------------------------------------- rendering */

  function renderForm(app, current, go) {
    var input = el("input", {
      type: "search", id: "search-app-q", name: "q", maxlength: "200", value: current().q,
      placeholder: "标题、文号、索引号、关键词或拼音首字母", autocomplete: "off"
    });
    var form = el("form", {
      class: "search-app__form", role: "search",
      onsubmit: function (event) {
        event.preventDefault();
        go(Object.assign({}, current(), { q: input.value.trim().slice(0, 200), page: 1 }));
      }
    }, [
      el("label", { for: "search-app-q", class: "visually-hidden", text: "检索词" }),
      input,
      el("button", { type: "submit", class: "md-button md-button--primary", text: "搜索" })
    ]);
    app.appendChild(form);
    return input;
  }

  function renderFacets(result, state, go) {
    var box = el("div", { class: "search-app__facets" });
    FILTERS.forEach(function (filter) {
      var counts = (result.facets || {})[filter.key] || {};
      var values = Object.keys(counts);
      if (!values.length && !state[filter.key]) return;
      if (state[filter.key] && values.indexOf(state[filter.key]) < 0) values.unshift(state[filter.key]);
      var group = el("div", { class: "search-app__facet", role: "group", "aria-label": filter.label },
        [el("span", { class: "search-app__facet-label", text: filter.label + "：" })]);
      values.slice(0, 30).forEach(function (value) {
        var active = state[filter.key] === value;
        var change = {};
        change[filter.key] = active ? "" : value;
        group.appendChild(el("button", {
          type: "button", class: "search-app__chip", "aria-pressed": active ? "true" : "false",
          text: result.label(filter.key, value) + (counts[value] !== undefined ? "（" + counts[value] + "）" : "") + (active ? " ×" : ""),
          onclick: function () { go(Object.assign({}, state, change, { page: 1 })); }
        }));
      });
      box.appendChild(group);
    });
    return box;
  }

  function renderHits(result) {
    var list = el("ol", { class: "search-app__hits" });
    result.hits.forEach(function (hit) {
      var details = [hit.id, hit.department, hit.published].filter(Boolean).join(" · ");
      var snippet = el("p", { class: "search-app__snippet" });
      snippet.appendChild(snippetNodes(hit.snippet));
      list.appendChild(el("li", { class: "search-app__hit" }, [
        el("a", { href: hit.url, class: "search-app__title", text: hit.title }),
        details ? el("p", { class: "search-app__meta", text: details }) : null,
        snippet
      ]));
    });
    return list;
  }

  function renderPager(result, state, go) {
    var pages = Math.min(MAX_PAGE, Math.ceil(result.total / PAGE_SIZE));
    if (pages <= 1) return null;
    function button(page, text) {
      return el("button", {
        type: "button", class: "search-app__page", text: text,
        "aria-current": page === state.page ? "page" : "false",
        onclick: function () { go(Object.assign({}, state, { page: page })); }
      });
    }
    var nav = el("nav", { class: "search-app__pager", "aria-label": "分页" });
    if (state.page > 1) nav.appendChild(button(state.page - 1, "上一页"));
    nav.appendChild(el("span", { text: "第 " + state.page + " / " + pages + " 页" }));
    if (state.page < pages) nav.appendChild(button(state.page + 1, "下一页"));
    return nav;
  }

  function renderEmpty(result, state, go) {
    var box = el("div", { class: "search-app__empty" }, [el("p", { text: "没有找到相关信息。" })]);
    var tips = (result.suggestions || {});
    Object.keys(tips.drop_filters || {}).forEach(function (key) {
      var label = (FILTERS.filter(function (f) { return f.key === key; })[0] || {}).label || key;
      var change = {};
      change[key] = "";
      box.appendChild(el("p", {}, [el("button", {
        type: "button", class: "search-app__chip",
        text: "去掉“" + label + "”筛选，可找到 " + tips.drop_filters[key] + " 条",
        onclick: function () { go(Object.assign({}, state, change, { page: 1 })); }
      })]));
    });
    (tips.did_you_mean || []).forEach(function (word) {
      box.appendChild(el("p", {}, [el("span", { text: "您是不是要找：" }), el("button", {
        type: "button", class: "search-app__chip", text: word,
        onclick: function () { go(Object.assign({}, state, { q: word, page: 1 })); }
      })]));
    });
    return box;
  }

  /* ---------------------------------------------------------------- wiring */

  function mount(app) {
    var src = app.getAttribute("data-src") || "pagefind/";
    // a folder: "pagefind" and "pagefind/" both mean <site>/pagefind/
    var base = new URL(src.slice(-1) === "/" ? src : src + "/", window.location.href);
    var root = new URL("../", base);
    var engines = [apiEngine(root), pagefindEngine(base, listingSource(root))];
    var status = el("p", { class: "search-app__status", role: "status", "aria-live": "polite" });
    var output = el("div", { class: "search-app__results" });
    var input = null;
    var serial = 0;
    var current = readState();

    function run(state) {
      var mine = ++serial;
      current = state;
      output.textContent = "";
      if (!state.q && !state.category && !state.department && !state.year) {
        status.textContent = "请输入检索词。可输入标题中的词语、文号、索引号，或拼音首字母（如 zfxxgk）。";
        return;
      }
      status.textContent = "正在检索……";
      var attempt = function (index) {
        return engines[index].search(state).catch(function (problem) {
          if (index + 1 < engines.length) {
            engines.splice(index, 1); // this engine is unavailable here: stop trying it
            return attempt(index);
          }
          throw problem;
        });
      };
      attempt(0).then(function (result) {
        if (mine !== serial) return;
        if (result.error) { status.textContent = result.error; return; }
        status.textContent = (state.q ? "“" + state.q + "”" : "筛选结果") + "：共 " + result.total + " 条";
        output.appendChild(renderFacets(result, state, go));
        if (!result.total) { output.appendChild(renderEmpty(result, state, go)); return; }
        output.appendChild(renderHits(result));
        var pager = renderPager(result, state, go);
        if (pager) output.appendChild(pager);
      }).catch(function () {
        if (mine === serial) status.textContent = "检索暂时不可用。请通过“目录检索”或分类、部门、年份浏览。";
      });
    }

    function go(state) {
      var query = stateQuery(state);
      window.history.pushState(null, "", window.location.pathname + (query ? "?" + query : ""));
      if (input) input.value = state.q;
      run(state);
    }

    input = renderForm(app, function () { return current; }, go);
    app.appendChild(status);
    app.appendChild(output);
    window.addEventListener("popstate", function () {
      var state = readState();
      input.value = state.q;
      run(state);
    });
    run(readState());
  }

  function start() {
    var app = document.getElementById("search-app");
    if (app && !app.hasAttribute("data-mounted")) {
      app.setAttribute("data-mounted", "");
      mount(app);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
