/* Site search in the browser: Pagefind's static index (extended build, Thai segmented).
   The query comes from #q= (the search box on every page puts it there, searchbox.js): the part of
   an address after "#" never goes to the server. An old ?q= link still works and is moved after "#".
   Filters: category, news type, BE year. */
(function () {
  "use strict";
  var script = document.currentScript;
  var bundle = new URL(script.getAttribute("data-bundle"), document.baseURI).href;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var filtersBox = document.getElementById("filters");
  function fromAddress() {
    var hash = new URLSearchParams(location.hash.slice(1));
    return hash.has("q") ? hash : new URLSearchParams(location.search);
  }
  var params = fromAddress();
  if (location.search && !location.hash) {
    history.replaceState(null, "", location.pathname + "#" + location.search.slice(1));
  }
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle + "pagefind.js").then(function (pf) { return pf.init().then(function () { return pf; }); });
    }
    return pagefind;
  }

  function selected() {
    var chosen = {};
    filtersBox.querySelectorAll("select").forEach(function (s) { if (s.value) chosen[s.name] = [s.value]; });
    return chosen;
  }

  function buildFilters(pf) {
    return pf.filters().then(function (filters) {
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
          if (params.get(name) === value) o.selected = true;
          sel.appendChild(o);
        });
        label.appendChild(sel);
        filtersBox.appendChild(label);
      });
    });
  }

  /* aria-busy on the results list: assistive technology waits for the whole list, and so do the tests */
  function done() { list.setAttribute("aria-busy", "false"); }

  function run(query) {
    list.innerHTML = "";
    list.setAttribute("aria-busy", "true");
    if (!query) { status.textContent = "พิมพ์คำค้นแล้วกดค้นหา"; done(); return Promise.resolve(); }
    status.textContent = "กำลังค้นหา…";
    return load().then(function (pf) {
      return pf.search(query, { filters: selected() });
    }).then(function (search) {
      return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); }));
    }).then(function (items) {
      status.textContent = items.length ? "พบ " + items.length + " รายการสำหรับ “" + query + "”" : "ไม่พบรายการสำหรับ “" + query + "”";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "card";
        var h = document.createElement("h2");
        h.className = "card-title";
        var a = document.createElement("a");
        a.href = item.url;
        a.textContent = (item.meta && item.meta.title) || item.url;
        h.appendChild(a);
        li.appendChild(h);
        if (item.meta && item.meta.date) {
          var m = document.createElement("p"); m.className = "card-meta"; m.textContent = item.meta.date; li.appendChild(m);
        }
        var p = document.createElement("p");
        p.className = "card-summary";
        p.innerHTML = item.excerpt; /* Pagefind escapes the page text and adds only <mark> */
        li.appendChild(p);
        list.appendChild(li);
      });
    }).catch(function () {
      status.textContent = "ค้นหาไม่ได้ในขณะนี้ โปรดใช้แผนผังเว็บไซต์";
    }).then(done);
  }

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
