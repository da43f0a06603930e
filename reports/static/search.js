/* ipwire site search: filters the generated index (assets/search-index.js sets
   window.IPWIRE_SEARCH_INDEX) in the browser. No network, no innerHTML: results are built
   with createElement/textContent, so indexed text can never become markup. */
(function () {
  "use strict";
  var index = window.IPWIRE_SEARCH_INDEX || [];
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var list = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (!form || !input || !list || !status) { return; }

  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var prepared = index.map(function (e) {
    return { e: e, name: fold(e.t), all: fold(e.t + " " + (e.a || "") + " " + (e.d || "")) };
  });

  function search(q) {
    var terms = fold(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (!terms.length) { return []; }
    var hits = [];
    prepared.forEach(function (p) {
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        if (p.all.indexOf(terms[i]) < 0) { return; }
        score += p.name.indexOf(terms[i]) >= 0 ? 2 : 1;
      }
      if (p.name.indexOf(terms.join(" ")) === 0) { score += 3; }
      hits.push({ p: p, score: score + (p.e.w || 0) });
    });
    hits.sort(function (a, b) { return b.score - a.score || (a.p.e.t < b.p.e.t ? -1 : 1); });
    return hits.slice(0, 50).map(function (h) { return h.p.e; });
  }

  function show(q) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var found = search(q);
    status.textContent = q ? found.length + (found.length === 1 ? " result" : " results") + " for \u201c" + q + "\u201d" : "Type a name.";
    found.forEach(function (e) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.setAttribute("href", e.u);
      a.textContent = e.t;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = " " + e.k + (e.d ? " \u00b7 " + e.d : "");
      li.appendChild(a);
      li.appendChild(kind);
      list.appendChild(li);
    });
  }

  var initial = new URLSearchParams(window.location.search).get("q") || "";
  input.value = initial;
  if (initial) { show(initial); }
  input.addEventListener("input", function () { show(input.value.trim()); });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); show(input.value.trim()); });
}());
