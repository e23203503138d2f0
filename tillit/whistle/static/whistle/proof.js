/* Proof of work for the report form (tillit/whistle/proof.py): find a counter such that
   SHA-256(challenge + ":" + counter) starts with the asked number of zero bits, put it in the hidden
   field and enable the send button. It runs in the background as soon as the page loads, in batches,
   so the page stays responsive; a person has finished long before they are done writing.

   A challenge lives an hour. The page is told for how many seconds its challenge stays fresh
   (data-fresh-for, by the server's clock); when they have passed, or at the latest when the reporter
   sends, it fetches a new challenge from the same origin (data-renew) and does the work again, so a
   reporter who writes for long is not refused. */
(function () {
  "use strict";

  var BATCH = 256;
  var DEFAULT_FRESH_FOR = 50 * 60; // seconds, if the page does not say

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

  // Resolves with the counter, or with null once `current()` says this work is no longer wanted.
  function solve(challenge, bits, current) {
    var encoder = new TextEncoder();
    function batch(start) {
      if (!current()) {
        return Promise.resolve(null);
      }
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

  function seconds(value, fallback) {
    var number = parseInt(value, 10);
    return isNaN(number) ? fallback : number;
  }

  function start() {
    var form = document.getElementById("report-form");
    var challenge = document.getElementById("pow-challenge");
    var counter = document.getElementById("pow-counter");
    var button = document.getElementById("report-submit");
    var status = document.getElementById("pow-status");
    if (!form || !challenge || !counter || !button || !status) {
      return;
    }
    if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) {
      status.textContent = status.getAttribute("data-failed");
      return;
    }

    var round = 0; // each new piece of work or renewal starts a round; older rounds' results are dropped
    var staleAt = 0; // Date.now() from which the challenge must be renewed
    var timer = null;
    var renewing = false;
    var renewFailed = false;
    var sendWhenReady = false;

    function say(name) {
      status.textContent = status.getAttribute(name);
    }

    function freshFor(value) {
      var wait = Math.max(seconds(value, DEFAULT_FRESH_FOR), 0);
      staleAt = Date.now() + wait * 1000;
      window.clearTimeout(timer);
      timer = window.setTimeout(renew, wait * 1000);
    }

    function stale() {
      return Date.now() >= staleAt;
    }

    function work(value, bits, message) {
      var mine = ++round;
      counter.value = "";
      button.disabled = true;
      say(message);
      solve(value, bits, function () {
        return mine === round;
      }).then(
        function (found) {
          if (found === null || mine !== round) {
            return;
          }
          counter.value = found;
          button.disabled = false;
          say(renewFailed ? "data-renew-failed" : "data-ready");
          if (sendWhenReady) {
            sendWhenReady = false;
            form.submit(); // no submit event: this does not come back here
          }
        },
        function () {
          say("data-failed");
        }
      );
    }

    function renew() {
      var address = challenge.getAttribute("data-renew");
      if (renewing) {
        return;
      }
      if (!address || !window.fetch) {
        renewFailed = true;
        return;
      }
      renewing = true;
      var mine = ++round; // stops work on the old challenge
      button.disabled = true;
      say("data-renewing");
      window
        .fetch(address, { credentials: "omit", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("no new challenge");
          }
          return response.json();
        })
        .then(
          function (fresh) {
            renewing = false;
            renewFailed = false;
            if (mine !== round) {
              return;
            }
            challenge.value = fresh.challenge;
            challenge.setAttribute("data-bits", String(fresh.bits));
            freshFor(fresh.fresh_for);
            work(fresh.challenge, fresh.bits, "data-renewing");
          },
          function () {
            // Keep the old challenge and its proof (done again if it was cut short): the server says
            // whether it is too old, and then shows the form again with the text kept.
            renewing = false;
            renewFailed = true;
            sendWhenReady = false;
            if (counter.value) {
              button.disabled = false;
              say("data-renew-failed");
            } else {
              work(challenge.value, seconds(challenge.getAttribute("data-bits"), 0), "data-renew-failed");
            }
          }
        );
    }

    form.addEventListener("submit", function (event) {
      if (stale() && !renewFailed) {
        event.preventDefault();
        sendWhenReady = true;
        renew();
      }
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible" && stale()) {
        renew(); // timers sleep with a phone's screen; the clock does not
      }
    });
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        renew(); // restored from the back-forward cache: the challenge may be spent or old
      }
    });

    freshFor(challenge.getAttribute("data-fresh-for"));
    work(challenge.value, seconds(challenge.getAttribute("data-bits"), 0), "data-working");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
