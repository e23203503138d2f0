/* The report form: the "About you" fields belong to a confidential report only. Without this script
   they are simply shown, with a note saying so; with it, they are shown only while "confidentially"
   is chosen. (No inline script or style: the reporter host's CSP allows neither.) */
(function () {
  "use strict";

  function identityToggle() {
    var identity = document.getElementById("report-identity");
    var form = document.getElementById("report-form");
    if (!identity || !form) {
      return;
    }
    var radios = form.querySelectorAll("input[name=mode]");
    if (!radios.length) {
      return;
    }
    var shownFor = identity.getAttribute("data-shown-for");
    function apply() {
      var chosen = form.querySelector("input[name=mode]:checked");
      identity.hidden = !chosen || chosen.value !== shownFor;
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", apply);
    });
    apply();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", identityToggle);
  } else {
    identityToggle();
  }
})();
