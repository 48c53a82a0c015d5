// Material for MkDocs' inline snippets (templates/partials/javascripts/*.html, Material 9.8.2,
// MIT licence), moved into one file so the pages' Content-Security-Policy allows no inline script.
// Each <script> tag that loads this file names its part in data-md-part and runs where the
// inline snippet ran, so the order of execution is Material's own.
(function () {
  "use strict";
  var script = document.currentScript;
  var data = script.dataset;

  var parts = {
    base: function () {
      window.__md_scope = new URL(data.scope, location);
      window.__md_hash = function (e) {
        return Array.from(e).reduce(function (h, c) { return (h << 5) - h + c.charCodeAt(0); }, 0);
      };
      window.__md_get = function (key, storage, scope) {
        storage = storage || localStorage;
        scope = scope || window.__md_scope;
        return JSON.parse(storage.getItem(scope.pathname + "." + key));
      };
      window.__md_set = function (key, value, storage, scope) {
        storage = storage || localStorage;
        scope = scope || window.__md_scope;
        try { storage.setItem(scope.pathname + "." + key, JSON.stringify(value)); } catch (e) { /* storage full or blocked */ }
      };
    },

    announce: function () {
      var el = document.querySelector("[data-md-component=announce]");
      if (el) {
        var content = el.querySelector(".md-typeset");
        if (__md_hash(content.innerHTML) === __md_get("__announce")) el.hidden = true;
      }
    },

    outdated: function () {
      var el = document.querySelector("[data-md-component=outdated]");
      var outdated = __md_get("__outdated", sessionStorage, new URL(data.base));
      if (outdated === true && el) el.hidden = false;
    },

    content: function () {
      if (data.tabsLink === "True") {
        var tabs = __md_get("__tabs");
        if (Array.isArray(tabs)) {
          sets: for (var set of document.querySelectorAll(".tabbed-set")) {
            var labels = set.querySelector(".tabbed-labels");
            for (var tab of tabs) {
              for (var label of labels.getElementsByTagName("label")) {
                if (label.innerText.trim() === tab) {
                  document.getElementById(label.htmlFor).checked = true;
                  continue sets;
                }
              }
            }
          }
        }
      }
      var target = document.getElementById(location.hash.slice(1));
      if (target && target.name) target.checked = target.name.startsWith("__tabbed_");
    },

    consent: function () {
      var form = document.forms.consent;
      var consent = __md_get("__consent");
      if (consent) {
        for (var input of form.elements) if (input.name) input.checked = consent[input.name] || false;
      } else if (location.protocol !== "file:") {
        setTimeout(function () { document.querySelector("[data-md-component=consent]").hidden = false; }, 250);
      }
      ["submit", "reset"].forEach(function (action) {
        form.addEventListener(action, function (e) {
          e.preventDefault();
          if (e.type === "reset") for (var n of form.elements) if (n.name) n.checked = false;
          __md_set("__consent", Object.fromEntries(Array.from(new FormData(form).keys()).map(function (k) { return [k, true]; })));
          location.hash = "";
          location.reload();
        });
      });
    },

    palette: function () {
      var palette = __md_get("__palette");
      if (!(palette && palette.color)) return;
      if (palette.color.media === "(prefers-color-scheme)") {
        var media = matchMedia("(prefers-color-scheme: light)");
        var input = document.querySelector(media.matches
          ? "[data-md-color-media='(prefers-color-scheme: light)']"
          : "[data-md-color-media='(prefers-color-scheme: dark)']");
        palette.color.media = input.getAttribute("data-md-color-media");
        palette.color.scheme = input.getAttribute("data-md-color-scheme");
        palette.color.primary = input.getAttribute("data-md-color-primary");
        palette.color.accent = input.getAttribute("data-md-color-accent");
      }
      for (var [key, value] of Object.entries(palette.color)) document.body.setAttribute("data-md-color-" + key, value);
    },
  };

  if (parts[data.mdPart]) parts[data.mdPart]();
})();
