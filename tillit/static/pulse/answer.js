/* The trust pulse's answer page: the invitation link carries the code in its fragment (#…), which the
   browser never sends to a server. Move it into the form's hidden field, where it travels by POST only,
   and take it off the address bar at once, so that it stays in no history, bookmark or screenshot. The
   same happens when the link is opened on a page that is already the answer page (a "hashchange"). */
(function () {
  "use strict";

  function takeCode() {
    var fragment = window.location.hash.replace(/^#/, "");
    if (!fragment) {
      return;
    }
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    var form = document.getElementById("pulse-code-form");
    var token = fragment.replace(/[^A-Za-z0-9]/g, "");
    if (!form || !form.elements.token || token.length < 26) {
      return;
    }
    form.elements.token.value = token;
    var manual = document.getElementById("pulse-code-manual");
    var fromLink = document.getElementById("pulse-code-from-link");
    if (manual && fromLink) {
      manual.hidden = true;
      fromLink.hidden = false;
    }
  }

  takeCode();
  window.addEventListener("hashchange", takeCode);
})();
