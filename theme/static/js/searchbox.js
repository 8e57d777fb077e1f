/* The search box on every page. The words go to the search page after "#" (#q=…): a browser keeps
   that part of an address to itself, so the words never reach the server or its logs, as the
   privacy page says. Without JavaScript the box sends nothing (its field has no name). */
(function () {
  "use strict";
  document.querySelectorAll("form.search-box").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var params = new URLSearchParams();
      params.set("q", form.querySelector("input[type=search]").value.trim());
      location.assign(form.action.split(/[?#]/)[0] + "#" + params.toString());
    });
  });
})();
