/* Site search in the browser: Pagefind's static index (extended build: Thai segmented with ICU4X).
   The query comes from #q= (the search box on every page puts it there, searchbox.js): the part of
   an address after "#" never goes to the server. An old ?q= link still works and is moved after "#".

   What a reader gets: the true count, results 20 at a time ("แสดงเพิ่ม"), each saying what it is
   (its kind and type, the labels the item page shows) and its Buddhist-Era date, an excerpt from the
   item's own text with the words marked; filters folded away under "ตัวกรอง".

   Thai is written without spaces, so a query word the browser splits into several (ผู้ชนะการเสนอราคา →
   ผู้ ชนะ การ เสนอ ราคา) would match any page holding those pieces anywhere; such a part must also stand
   in the page as typed (spaces aside). Parts separated by spaces may stand anywhere in the page. */
(function () {
  "use strict";
  var PAGE = 20;
  var script = document.currentScript;
  var bundle = new URL(script.getAttribute("data-bundle"), document.baseURI).href;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var filtersBox = document.getElementById("filters");
  var filtersFold = document.getElementById("filters-box");
  var filtersChosen = document.getElementById("filters-chosen");
  function fromAddress() {
    var hash = new URLSearchParams(location.hash.slice(1));
    return hash.has("q") ? hash : new URLSearchParams(location.search);
  }
  var params = fromAddress();
  if (location.search && !location.hash) {
    history.replaceState(null, "", location.pathname + "#" + location.search.slice(1));
  }
  var pagefind = null;
  var current = null; /* the search on screen: {query, results (loaders), shown, parts} */
  var generation = 0; /* a newer search makes an older one's late answers void */

  /* pagefind/bundles.json names the bundles (each whole, in its own folder); the first is loaded and the
     others merged into it. exactDiacritics: Thai vowels and tone marks are Unicode marks that Pagefind
     would otherwise drop, so "ซื้อ" would match "ซ่อม" and "จัด" "จดหมาย". */
  var OPTIONS = { exactDiacritics: true, excerptLength: 30 };
  /* results a bundle must no longer give: pages changed or gone since it was made (their new text is
     in a later, smaller bundle), so a new item is found seconds after it is published */
  var hidden = {};
  /* and what those hidden results add to the filter menus' counts (filter → value → pages): Pagefind
     counts every page of every bundle it merged, so the menus count the live pages only once this is
     taken away */
  var uncounted = {};
  function load() {
    if (!pagefind) {
      pagefind = fetch(bundle + "bundles.json", { cache: "no-cache" }).then(function (r) {
        if (!r.ok) { throw new Error("bundles.json " + r.status); }
        return r.json();
      }).then(function (listing) {
        var names = listing.bundles;
        Object.keys(listing.hidden || {}).forEach(function (name) {
          listing.hidden[name].forEach(function (id) { hidden[id] = true; });
        });
        uncounted = listing.uncounted || {};
        return import(bundle + names[0] + "/pagefind.js").then(function (pf) {
          return pf.options(OPTIONS).then(function () { return pf.init(); }).then(function () {
            return Promise.all(names.slice(1).map(function (name) { return pf.mergeIndex(bundle + name + "/", OPTIONS); }));
          }).then(function () { return pf; });
        });
      });
    }
    return pagefind;
  }

  function selected() {
    var chosen = {};
    filtersBox.querySelectorAll("select").forEach(function (s) { if (s.value) chosen[s.name] = [s.value]; });
    return chosen;
  }

  function showChosen() {
    var n = Object.keys(selected()).length;
    filtersChosen.textContent = n ? "(เลือกไว้ " + n + ")" : "";
  }

  function buildFilters(pf) {
    return pf.filters().then(function (counted) {
      var filters = {};
      Object.keys(counted).forEach(function (name) {
        Object.keys(counted[name]).forEach(function (value) {
          var live = counted[name][value] - ((uncounted[name] || {})[value] || 0);
          if (live > 0) { (filters[name] = filters[name] || {})[value] = live; }
        });
      });
      Object.keys(filters).sort().forEach(function (name, i) {
        var label = document.createElement("label");
        label.textContent = name;
        var sel = document.createElement("select");
        sel.name = name;
        sel.id = "filter-" + i;
        var all = document.createElement("option");
        all.value = ""; all.textContent = "ทั้งหมด";
        sel.appendChild(all);
        Object.keys(filters[name]).sort().forEach(function (value) {
          var o = document.createElement("option");
          o.value = value; o.textContent = value + " (" + filters[name][value] + ")";
          if (params.get(name) === value) { o.selected = true; }
          sel.appendChild(o);
        });
        sel.addEventListener("change", function () { showChosen(); run(input.value.trim()); });
        label.appendChild(sel);
        filtersBox.appendChild(label);
      });
      filtersFold.hidden = Object.keys(filters).length === 0;
      showChosen();
    });
  }

  /* -- the words ---------------------------------------------------------------------------------- */
  var segmenter = typeof Intl !== "undefined" && Intl.Segmenter ? new Intl.Segmenter("th", { granularity: "word" }) : null;
  function squeeze(text) { return text.replace(/[\s\u200b]+/g, "").toLocaleLowerCase("th"); }
  function pieces(part) {
    if (!segmenter) { return [part]; }
    var out = [];
    for (var s of segmenter.segment(part)) { if (s.isWordLike) { out.push(s.segment); } }
    return out;
  }
  /* the parts a result must hold as typed: those the browser splits into more than one word */
  function phraseParts(query) {
    return query.split(/\s+/).filter(function (part) { return part && pieces(part).length > 1; }).map(squeeze);
  }
  /* the page's own text: the index also holds its words as the browser splits them, after a "¶"
     (workflow/edges/site/segment.mjs), which neither the excerpt nor the check may read */
  function own(data) {
    var content = data.content || "";
    var at = content.lastIndexOf("¶");
    return at === -1 ? content : content.slice(0, at);
  }
  function holds(data, parts) {
    var text = squeeze(own(data));
    return parts.every(function (part) { return text.indexOf(part) !== -1; });
  }

  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  /* `text` with every query part (and, failing that, every word of it) marked */
  function marked(text, query) {
    var words = query.split(/\s+/).filter(Boolean);
    var found = words.filter(function (w) { return text.indexOf(w) !== -1; });
    if (!found.length) { found = [].concat.apply([], words.map(pieces)).filter(function (w) { return w.length > 1 && text.indexOf(w) !== -1; }); }
    if (!found.length) { return escapeHtml(text); }
    found.sort(function (a, b) { return b.length - a.length; });
    var pattern = new RegExp(found.map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "g");
    var out = "", last = 0, m;
    while ((m = pattern.exec(text)) !== null) {
      out += escapeHtml(text.slice(last, m.index)) + "<mark>" + escapeHtml(m[0]) + "</mark>";
      last = m.index + m[0].length;
    }
    return out + escapeHtml(text.slice(last));
  }
  /* A window of the item's own text around the first match: its body first (the page starts with the
     kind, title and date, which the result shows anyway), without the ". " Pagefind puts between blocks. */
  function excerpt(data, query) {
    var content = own(data);
    var date = data.meta && data.meta.date;
    var at = date ? content.indexOf(date) : -1;
    var body = at === -1 ? content : content.slice(at + date.length);
    var words = query.split(/\s+/).filter(Boolean);
    var candidates = words.concat([].concat.apply([], words.map(pieces)).filter(function (w) { return w.length > 1; }));
    var hit = -1;
    for (var i = 0; i < candidates.length && hit === -1; i++) { hit = body.indexOf(candidates[i]); }
    var start = Math.max(0, hit - 50);
    if (start > 0) {
      var space = body.lastIndexOf(" ", hit);
      if (space > start - 30 && space < hit) { start = space + 1; }
    }
    var text = body.slice(start, start + 170).replace(/^[\s.·,:;]+/, "").replace(/\s+/g, " ").trim();
    if (!text) { return ""; }
    return (start > 0 ? "… " : "") + marked(text, query) + (start + 170 < body.length ? " …" : "");
  }

  /* -- results --------------------------------------------------------------------------------------- */
  function card(data, query) {
    var li = document.createElement("li");
    li.className = "card";
    if (data.meta && data.meta.kind) {
      var k = document.createElement("p"); k.className = "card-kind"; k.textContent = data.meta.kind; li.appendChild(k);
    }
    var h = document.createElement("h2");
    h.className = "card-title";
    var a = document.createElement("a");
    a.href = data.url;
    a.innerHTML = marked((data.meta && data.meta.title) || data.url, query);
    h.appendChild(a);
    li.appendChild(h);
    if (data.meta && data.meta.date) {
      var m = document.createElement("p"); m.className = "card-meta"; m.textContent = "เผยแพร่เมื่อ " + data.meta.date; li.appendChild(m);
    }
    var text = excerpt(data, query);
    if (text) {
      var p = document.createElement("p");
      p.className = "card-summary";
      p.innerHTML = text; /* built from the page's text, escaped here; only <mark> added */
      li.appendChild(p);
    }
    return li;
  }

  /* aria-busy on the results list: assistive technology waits for the whole list, and so do the tests */
  function done() { list.setAttribute("aria-busy", "false"); }

  function say() {
    var s = current;
    var total = s.results.length;
    var label = "“" + s.query + "”";
    if (!total) {
      status.textContent = "ไม่พบรายการสำหรับ " + label;
    } else {
      status.textContent = (s.near ? "ไม่พบ " + label + " ตรงตัว รายการที่ใกล้เคียง " + total + " รายการ" : "พบ " + total + " รายการสำหรับ " + label)
        + (total > s.shown ? " (แสดง " + s.shown + " รายการแรก)" : "");
    }
    var rest = total - s.shown;
    more.hidden = rest <= 0;
    more.textContent = rest > 0 ? "แสดงเพิ่มอีก " + Math.min(PAGE, rest) + " รายการ (เหลือ " + rest + ")" : "";
  }

  function showNext(mine) {
    var s = current;
    var batch = s.results.slice(s.shown, s.shown + PAGE);
    return Promise.all(batch.map(function (r) { return r.data ? r.data() : Promise.resolve(r); })).then(function (items) {
      if (mine !== generation) { return null; }
      var first = null;
      items.forEach(function (item) {
        var li = card(item, s.query);
        first = first || li;
        list.appendChild(li);
      });
      s.shown += items.length;
      say();
      return first;
    });
  }

  /* every candidate's text, in batches (Pagefind fetches each result's fragment once) */
  function confirmed(results, parts) {
    var kept = [], i = 0;
    function step() {
      if (i >= results.length) { return Promise.resolve(kept); }
      var batch = results.slice(i, i + 40);
      i += batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (item) { if (holds(item, parts)) { kept.push(item); } });
        return step();
      });
    }
    return step();
  }

  function run(query) {
    var mine = ++generation;
    list.innerHTML = "";
    list.setAttribute("aria-busy", "true");
    more.hidden = true;
    if (!query) { status.textContent = "พิมพ์คำค้นแล้วกดค้นหา"; done(); return Promise.resolve(); }
    status.textContent = "กำลังค้นหา…";
    var parts = phraseParts(query);
    var options = { filters: selected() };
    function visible(search) { return search.results.filter(function (r) { return !hidden[r.id]; }); }
    /* One word the browser splits: first Pagefind's exact search (the pieces side by side in the index,
       which holds each page's words as the browser splits them), whose few results are then checked;
       only when that finds nothing, every page holding the pieces anywhere, checked one by one. */
    function phrase(pf) {
      var exact = parts.length === 1 && !/\s/.test(query) ? pf.search('"' + query + '"', options) : Promise.resolve({ results: [] });
      return exact.then(function (search) {
        return confirmed(visible(search), parts);
      }).then(function (kept) {
        if (kept.length) { return { results: kept, near: false }; }
        return pf.search(query, options).then(function (search) {
          var live = visible(search);
          return confirmed(live, parts).then(function (held) {
            /* nothing holds the words as typed (a misspelling, a word split otherwise): the near results */
            return held.length || !live.length ? { results: held, near: false } : { results: live, near: true };
          });
        });
      });
    }
    /* One word the browser does not split: the pages that hold it as a word (Pagefind's exact search)
       first. Each merged bundle answers on its own, and one that holds no word starting with the query
       answers with pages holding a shorter part of it: with several bundles (a big site is indexed in
       slices) those mixed with the right ones ("พายุ" found 12 pages, 3 hold it). Only when no bundle
       holds it as a word: every page Pagefind gives, those holding the query as typed (a prefix) kept,
       and failing that all shown as near results (a misspelling). */
    var CHECK_LIMIT = 300;
    function word(pf) {
      return pf.search('"' + query + '"', options).then(function (search) {
        var exact = visible(search);
        if (exact.length) { return { results: exact, near: false }; }
        return pf.search(query, options).then(function (search) {
          var live = visible(search);
          /* past a few hundred, checking each page's text would take seconds (1,583 pages: 7 s at
             5,000 items): shown as Pagefind gives them */
          if (live.length > CHECK_LIMIT) { return { results: live, near: false }; }
          return confirmed(live, [squeeze(query)]).then(function (held) {
            return held.length || !live.length ? { results: held, near: false } : { results: live, near: true };
          });
        });
      });
    }
    return load().then(function (pf) {
      if (parts.length) { return phrase(pf); }
      if (!/\s/.test(query)) { return word(pf); }
      return pf.search(query, options).then(function (search) { return { results: visible(search), near: false }; });
    }).then(function (found) {
      if (mine !== generation) { return null; }
      current = { query: query, results: found.results, near: found.near, shown: 0 };
      return showNext(mine);
    }).catch(function () {
      if (mine === generation) { status.textContent = "ค้นหาไม่ได้ในขณะนี้ โปรดใช้แผนผังเว็บไซต์"; }
    }).then(function () { if (mine === generation) { done(); } });
  }

  more.addEventListener("click", function () {
    if (!current) { return; }
    var mine = generation;
    list.setAttribute("aria-busy", "true");
    showNext(mine).then(function (first) {
      if (first) { first.querySelector("a").focus(); } /* keyboard and screen-reader users land on the first new result */
    }).then(function () { if (mine === generation) { done(); } });
  });

  var q = params.get("q") || "";
  input.value = q;
  /* filters are a help, not a condition: a search runs (and ends, found or not) even without them */
  load().then(buildFilters).catch(function () {}).then(function () { return run(q); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var query = input.value.trim();
    var next = new URLSearchParams();
    next.set("q", query);
    history.replaceState(null, "", location.pathname + "#" + next.toString());
    run(query);
  });
  /* the search box at the top of this page: a new #q= on the same page */
  window.addEventListener("hashchange", function () {
    params = fromAddress();
    input.value = params.get("q") || "";
    run(input.value);
  });
})();
