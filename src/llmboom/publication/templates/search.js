/* llmboom's static search: matches the words typed against every name of search-index.js
   (labels in each language, alternative labels) and lists links to the pages, with the
   name that matched when it is not the English label. No server, no fetch. */
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  if (!input || !list) return;
  var root = input.getAttribute("data-root") || "";
  var entries = window.LLMBOOM_SEARCH_INDEX || [];

  function matches(entry, query) {
    return [entry.label].concat(entry.alt).some(function (name) {
      return name.toLowerCase().indexOf(query) !== -1;
    });
  }

  function rank(entry, query) {
    var label = entry.label.toLowerCase();
    return label.indexOf(query) === 0 ? 0 : label.indexOf(query) !== -1 ? 1 : 2;
  }

  function show() {
    while (list.firstChild) list.removeChild(list.firstChild);
    var query = input.value.trim().toLowerCase();
    if (!query) return;
    var hits = entries.filter(function (e) { return matches(e, query); });
    hits.sort(function (a, b) { return rank(a, query) - rank(b, query); });
    hits.slice(0, 20).forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + entry.href;
      link.textContent = entry.label;
      item.appendChild(link);
      if (entry.label.toLowerCase().indexOf(query) === -1) {
        var other = entry.alt.filter(function (n) { return n.toLowerCase().indexOf(query) !== -1; });
        var name = document.createElement("span");
        name.className = "other-name";
        name.textContent = " (" + other[0] + ")";
        item.appendChild(name);
      }
      if (entry.type.length) {
        var kind = document.createElement("span");
        kind.className = "note";
        kind.textContent = " " + entry.type.join(", ");
        item.appendChild(kind);
      }
      list.appendChild(item);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "Nothing found";
      list.appendChild(none);
    }
  }

  input.addEventListener("input", show);
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) window.location.href = first.href;
  });
})();
