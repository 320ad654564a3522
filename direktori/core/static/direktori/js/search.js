/* The search page's enhancements (/cari/): htmx when needed, "use my location", the map, and
   focus after an in-place update. Everything here is optional: without it the form and the list
   work as they are. Leaflet is fetched only when someone asks for the map. Texts come translated
   from the page's data attributes. Handlers are delegated from `document`, so they survive htmx
   swaps and history restores. */
(function () {
  "use strict";

  var map = null;
  var markers = null;

  function byId(id) { return document.getElementById(id); }

  function say(element, text) {
    if (element) { element.textContent = text || ""; }
  }

  function form() { return byId("search-form"); }

  // Submits the form through htmx when it is loaded or about to be (a tap on "use my location"
  // starts loading it), else as a plain form after a short wait.
  function submit() {
    var f = form();
    if (!f) { return; }
    var go = function () {
      if (go.done) { return; }
      go.done = true;
      if (f.requestSubmit) { f.requestSubmit(); } else { f.submit(); }
    };
    if (window.htmx || !loadHtmx.ready) { go(); return; }
    loadHtmx.ready.then(go, go);
    window.setTimeout(go, 3000);
  }

  /* ---- htmx, on first use ---------------------------------------------------------------- */

  // htmx (16 KB) is what updates the results in place. Fetched when someone starts using the
  // form or the list, not with the page: a visit that only reads the results never pays for it,
  // and the first view stays within the 60 KB budget. Until it has loaded, the form and the links
  // work as plain HTML. htmx only starts itself on a page that has finished loading.
  function loadHtmx() {
    var f = form();
    if (window.htmx || loadHtmx.ready || !f) { return; }
    loadHtmx.ready = new Promise(function (resolve, reject) {
      var start = function () {
        var script = document.createElement("script");
        script.src = f.dataset.htmx;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      };
      if (document.readyState === "complete") {
        start();
      } else {
        window.addEventListener("load", start);
      }
    });
  }

  ["focusin", "pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      if (event.target.closest && event.target.closest("#search-form, #results")) { loadHtmx(); }
    }, { passive: true });
  });

  /* ---- Near me ---------------------------------------------------------------------------- */

  function setLocated(located) {
    ["id_lat", "id_lon", "id_jarak"].forEach(function (id) {
      var input = byId(id);
      if (input) { input.disabled = !located; }
    });
    ["near-status", "field-jarak", "clear-location"].forEach(function (id) {
      var element = byId(id);
      if (element) { element.hidden = !located; }
    });
  }

  function locate() {
    var fieldset = byId("near-me");
    var message = byId("locate-message");
    say(message, fieldset.dataset.locating);
    navigator.geolocation.getCurrentPosition(function (position) {
      // About 100 m: enough for distances in km, and no more of a person's position than needed.
      byId("id_lat").value = position.coords.latitude.toFixed(3);
      byId("id_lon").value = position.coords.longitude.toFixed(3);
      setLocated(true);
      say(message, "");
      submit();
    }, function (error) {
      say(message, error.code === 1 ? fieldset.dataset.denied : fieldset.dataset.unavailable);
    }, { enableHighAccuracy: false, timeout: 20000, maximumAge: 300000 });
  }

  function clearLocation() {
    byId("id_lat").value = "";
    byId("id_lon").value = "";
    setLocated(false);
    say(byId("locate-message"), "");
    var button = byId("locate");
    if (button) { button.focus(); }
    submit();
  }

  /* ---- Map -------------------------------------------------------------------------------- */

  // The results' public places, one per position: services at the same address share a marker.
  function places() {
    var byPosition = {};
    var found = [];
    document.querySelectorAll("#results [data-points]").forEach(function (card) {
      card.dataset.points.split(";").forEach(function (pair) {
        var at = pair.split(",").map(Number);
        if (at.length !== 2 || !isFinite(at[0]) || !isFinite(at[1])) { return; }
        var place = byPosition[pair];
        if (!place) {
          place = byPosition[pair] = { at: at, services: [] };
          found.push(place);
        }
        if (place.services.every(function (s) { return s.url !== card.dataset.url; })) {
          place.services.push({ name: card.dataset.name, url: card.dataset.url });
        }
      });
    });
    return found;
  }

  function loadLeaflet(tools) {
    if (window.L) { return Promise.resolve(window.L); }
    return new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = tools.dataset.leafletCss;
      document.head.appendChild(css);
      var script = document.createElement("script");
      script.src = tools.dataset.leafletJs;
      script.onload = function () { resolve(window.L); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function popup(place) {
    var list = document.createElement("ul");
    list.className = "map-places";
    place.services.forEach(function (service) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = service.url;
      link.textContent = service.name;
      item.appendChild(link);
      list.appendChild(item);
    });
    return list;
  }

  function drawMarkers() {
    if (!map) { return; }
    var L = window.L;
    markers.clearLayers();
    var bounds = [];
    places().forEach(function (place) {
      var names = place.services.map(function (s) { return s.name; }).join(", ");
      L.marker(place.at, { title: names, alt: names })
        .bindPopup(popup(place))
        .addTo(markers);
      bounds.push(place.at);
    });
    var lat = byId("id_lat");
    var lon = byId("id_lon");
    if (lat && lon && !lat.disabled && lat.value && lon.value) {
      var you = [Number(lat.value), Number(lon.value)];
      L.circleMarker(you, { radius: 8, color: "#b91c1c", weight: 3 })
        .bindTooltip(byId("map-tools").dataset.you)
        .addTo(markers);
      bounds.push(you);
    }
    if (bounds.length) { map.fitBounds(bounds, { maxZoom: 15, padding: [24, 24] }); }
  }

  function createMap(tools, element) {
    var L = window.L;
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: tools.dataset.icon,
      iconRetinaUrl: tools.dataset.icon2x,
      shadowUrl: tools.dataset.shadow
    });
    map = L.map(element, { scrollWheelZoom: false });
    var tiles = L.tileLayer(tools.dataset.tileUrl, {
      attribution: tools.dataset.tileAttribution,
      maxZoom: 19
    });
    // Tiles come from another server, which may be slow, blocked or down: say so once; the
    // markers and the list below still work.
    tiles.once("tileerror", function () { say(byId("map-message"), tools.dataset.tilesFailed); });
    tiles.addTo(map);
    markers = L.layerGroup().addTo(map);
    map.setView([4.2, 102.0], 6);
  }

  function showMap(show) {
    var tools = byId("map-tools");
    var button = byId("map-toggle");
    var element = byId("map");
    var message = byId("map-message");
    button.setAttribute("aria-expanded", String(show));
    say(button, show ? tools.dataset.hide : tools.dataset.show);
    element.hidden = !show;
    if (!show) { return; }
    if (map) {
      map.invalidateSize();
      drawMarkers();
      return;
    }
    say(message, tools.dataset.loading);
    loadLeaflet(tools).then(function () {
      say(message, "");
      createMap(tools, element);
      drawMarkers();
    }, function () {
      say(message, tools.dataset.failed);
      element.hidden = true;
      button.setAttribute("aria-expanded", "false");
      say(button, tools.dataset.show);
    });
  }

  /* ---- Page state ------------------------------------------------------------------------- */

  // Show what works here: the location button where the browser can locate, the map button
  // where results have public places.
  function enhance() {
    var fieldset = byId("near-me");
    var button = byId("locate");
    if (fieldset && button && "geolocation" in navigator) {
      fieldset.hidden = false;
      button.hidden = false;
    }
    var tools = byId("map-tools");
    if (tools) {
      var any = places().length > 0;
      tools.hidden = !any;
      if (!any && map) { showMap(false); }
    }
  }

  // After a history restore the page is a copy of an earlier one, the map's markup included but
  // not its script: start the map afresh.
  function forgetMap() {
    map = null;
    markers = null;
    var element = byId("map");
    if (element) {
      element.className = "map";
      element.textContent = "";
      element.hidden = true;
      var button = byId("map-toggle");
      button.setAttribute("aria-expanded", "false");
      say(button, byId("map-tools").dataset.show);
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("#locate, #clear-location, #map-toggle");
    if (!target) { return; }
    if (target.id === "locate") {
      locate();
    } else if (target.id === "clear-location") {
      event.preventDefault();
      clearLocation();
    } else {
      showMap(target.getAttribute("aria-expanded") !== "true");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target.id !== "results") { return; }
    // Focus stays where the person is (the search box, a filter); only when it was inside the
    // replaced list (a page link) does it move, to the new results' heading.
    var active = document.activeElement;
    if (!active || active === document.body || !active.isConnected) {
      var head = byId("results-head");
      if (head) { head.focus(); }
    }
    enhance();
    drawMarkers();
  });

  document.addEventListener("htmx:historyRestore", function () {
    forgetMap();
    enhance();
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
}());
