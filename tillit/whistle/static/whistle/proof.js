/* Proof of work for the report form (tillit/whistle/proof.py): find a counter such that
   SHA-256(challenge + ":" + counter) starts with the asked number of zero bits, put it in the hidden
   field and enable the send button. It runs in the background as soon as the page loads, in batches,
   so the page stays responsive; a person has finished long before they are done writing. */
(function () {
  "use strict";

  var BATCH = 256;

  function zeroBits(bytes) {
    var bits = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) {
        bits += 8;
        continue;
      }
      var byte = bytes[i];
      while ((byte & 0x80) === 0) {
        bits += 1;
        byte <<= 1;
      }
      return bits;
    }
    return bits;
  }

  function digest(encoder, challenge, counter) {
    return window.crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + counter));
  }

  function solve(challenge, bits) {
    var encoder = new TextEncoder();
    function batch(start) {
      var work = [];
      for (var counter = start; counter < start + BATCH; counter++) {
        work.push(digest(encoder, challenge, counter));
      }
      return Promise.all(work).then(function (hashes) {
        for (var i = 0; i < hashes.length; i++) {
          if (zeroBits(new Uint8Array(hashes[i])) >= bits) {
            return String(start + i);
          }
        }
        return new Promise(function (resolve) {
          window.setTimeout(resolve, 0); // let the page breathe between batches
        }).then(function () {
          return batch(start + BATCH);
        });
      });
    }
    return batch(0);
  }

  function start() {
    var challenge = document.getElementById("pow-challenge");
    var counter = document.getElementById("pow-counter");
    var button = document.getElementById("report-submit");
    var status = document.getElementById("pow-status");
    if (!challenge || !counter || !button || !status) {
      return;
    }
    if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) {
      status.textContent = status.getAttribute("data-failed");
      return;
    }
    status.textContent = status.getAttribute("data-working");
    solve(challenge.value, parseInt(challenge.getAttribute("data-bits"), 10) || 0).then(
      function (found) {
        counter.value = found;
        button.disabled = false;
        status.textContent = status.getAttribute("data-ready");
      },
      function () {
        status.textContent = status.getAttribute("data-failed");
      }
    );
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
