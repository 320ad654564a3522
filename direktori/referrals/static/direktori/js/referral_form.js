/* The referral form's enhancements (/akaun/rujukan/baru/). Without this script the form works as a
   plain form: the "call now" notice stands beside "immediate danger", and a button shows another
   district's mukim and towns. With it:
   - the notice appears as soon as "immediate danger" is chosen (and is announced), and hides
     otherwise;
   - choosing a district loads its mukim and towns in place;
   - the form is sent with fetch. When the connection is lost the form stays filled, a polite live
     region says so, and the form is sent again when the connection returns (the `online` event,
     a timer, or "Try again") with the same hidden client_token, so the server makes one referral
     however many times it arrives;
   - only the non-identifying choices (urgency, target group, district, mukim, town) are kept, in
     sessionStorage, so that a reload of the tab does not lose them. Nothing that identifies the
     person or the reporter (name, MyKad, address, phone, what was seen) is ever written to the
     browser's storage (docs/security.md, "Referrals"). Texts come translated from the form's
     data attributes. */
(function () {
  "use strict";

  var KEY = "direktori.referral.choices";
  var KEPT = ["urgency", "target_group", "district", "mukim", "locality"];
  var RETRY_AFTER = [5, 15, 30, 60]; // seconds between automatic retries
  var state = { sending: false, pending: false, retries: 0, timer: null };
  var form = null;

  function byId(id) { return document.getElementById(id); }

  function say(text) {
    var status = byId("send-status");
    if (status) { status.textContent = text || ""; }
  }

  function text(name) { return form ? form.getAttribute("data-text-" + name) || "" : ""; }

  /* ---- What may be kept: the non-identifying choices only ---------------------------------- */

  function choices() {
    var kept = {};
    KEPT.forEach(function (name) {
      var field = form.elements[name];
      if (field) { kept[name] = field.value || ""; }
    });
    return kept;
  }

  function save() {
    try { window.sessionStorage.setItem(KEY, JSON.stringify(choices())); } catch (e) { /* off */ }
  }

  function forget() {
    try { window.sessionStorage.removeItem(KEY); } catch (e) { /* storage is off */ }
  }

  function restore() {
    var kept = null;
    try { kept = JSON.parse(window.sessionStorage.getItem(KEY) || "null"); } catch (e) { kept = null; }
    if (!kept) { return; }
    ["urgency", "target_group"].forEach(function (name) {
      var radio = form.querySelector("input[name='" + name + "'][value='" + (kept[name] || "") + "']");
      if (radio) { radio.checked = true; }
    });
    var district = form.elements.district;
    var setPlaces = function () {
      ["mukim", "locality"].forEach(function (name) {
        var select = form.elements[name];
        if (select && kept[name] && select.querySelector("option[value='" + kept[name] + "']")) {
          select.value = kept[name];
        }
      });
    };
    if (district && kept.district && kept.district !== district.value &&
        district.querySelector("option[value='" + kept.district + "']")) {
      district.value = kept.district;
      loadPlaces(kept.district).then(setPlaces, function () { /* offline: the server checks */ });
    } else {
      setPlaces();
    }
  }

  /* ---- Immediate danger --------------------------------------------------------------------- */

  function updateDanger(announce) {
    var notice = byId("danger-now");
    var chosen = form.querySelector("input[name='urgency'][value='immediate']:checked");
    if (notice) { notice.hidden = !chosen; }
    var region = byId("danger-announce");
    if (region) { region.textContent = chosen && announce && notice ? notice.innerText : ""; }
  }

  /* ---- The places of a district ------------------------------------------------------------- */

  function loadPlaces(code) {
    var url = form.getAttribute("action") + "?district=" + encodeURIComponent(code || "");
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        ["mukim", "locality"].forEach(function (name) {
          var fresh = page.getElementById("id_" + name);
          var select = form.elements[name];
          if (fresh && select) { select.innerHTML = fresh.innerHTML; select.value = ""; }
        });
      });
  }

  /* ---- Sending ------------------------------------------------------------------------------ */

  function setBusy(busy) {
    var button = byId("send");
    state.sending = busy;
    if (button) { button.setAttribute("aria-disabled", busy ? "true" : "false"); }
  }

  function later(message, automatic) {
    state.pending = true;
    setBusy(false);
    say(message);
    var retry = byId("try-again");
    if (retry) { retry.hidden = false; }
    window.clearTimeout(state.timer);
    if (automatic) {
      var wait = RETRY_AFTER[Math.min(state.retries, RETRY_AFTER.length - 1)];
      state.retries += 1;
      state.timer = window.setTimeout(send, wait * 1000);
    }
  }

  function showAnswer(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var fresh = page.getElementById("main");
    var main = byId("main");
    if (!fresh || !main) { return; }
    main.innerHTML = fresh.innerHTML;
    start();
  }

  function send() {
    if (!form || state.sending) { return; }
    window.clearTimeout(state.timer);
    setBusy(true);
    say(text("sending"));
    var request = fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Referral-Form": "fetch" }
    });
    request.then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (response.ok && type.indexOf("application/json") === 0) {
        return response.json().then(function (answer) {
          forget();
          state.pending = false;
          window.location.assign(answer.location);
        });
      }
      if (response.redirected) { // to the sign-in page: the session ended
        later(text("signed-out"), false);
        return null;
      }
      if (response.ok && type.indexOf("text/html") === 0) { // the form again, with its problems
        return response.text().then(function (html) {
          state.pending = false;
          setBusy(false);
          showAnswer(html);
        });
      }
      later(text("failed"), response.status >= 500);
      return null;
    }, function () {
      later(text("offline"), true);
    });
  }

  /* ---- Wiring ------------------------------------------------------------------------------- */

  function start() {
    form = byId("referral-form");
    if (!form) { return; }
    var showPlaces = form.querySelector(".show-places");
    if (showPlaces) { showPlaces.hidden = true; }
    if (!byId("danger-announce")) {
      var region = document.createElement("p");
      region.id = "danger-announce";
      region.className = "visually-hidden";
      region.setAttribute("aria-live", "assertive");
      form.parentNode.insertBefore(region, form);
    }
    if (form.getAttribute("data-fresh") === "1") { restore(); }
    updateDanger(false);
    form.addEventListener("change", function (event) {
      var name = event.target && event.target.name;
      if (name === "urgency") { updateDanger(true); }
      if (name === "district") {
        loadPlaces(event.target.value).then(save, function () { /* offline: the server checks */ });
      }
      if (KEPT.indexOf(name) !== -1) { save(); }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send();
    });
    var retry = byId("try-again");
    if (retry) { retry.addEventListener("click", send); }
    var summary = byId("form-errors");
    if (summary) { summary.focus(); }
  }

  window.addEventListener("online", function () {
    if (state.pending) { send(); }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
