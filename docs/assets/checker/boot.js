// Loaded on every page (async, early in the head: overrides/main.html): starts the checker's Python
// worker at once on the checker page and when the browser is idle elsewhere, so it is usually
// ready before anyone pastes, and mounts the checker UI wherever #checker appears.
// Material's instant navigation swaps the page without reloading this script's window, so the
// one worker lives on `window.flowChecker` and survives every navigation.
(function () {
  "use strict";
  if (window.flowChecker) return; // already booted in this window

  var script = document.currentScript;
  var here = script ? script.src : location.href;
  // Past this, loading counts as failed (never a spinner forever); tests may set a shorter one.
  var LOAD_TIMEOUT_MS = window.flowCheckerTimeoutMs || 120000;
  var listeners = new Set();
  var pending = new Map();
  var nextId = 1;
  var worker = null;
  var timer = null;
  var idle = window.requestIdleCallback
    ? window.requestIdleCallback.bind(window)
    : function (fn) { return setTimeout(fn, 1500); };

  var api = {
    state: "idle", // idle | loading | ready | error
    step: 0,
    of: 3,
    stage: "",
    error: "",
    version: "",
    start: start,
    run: run,
    subscribe: function (fn) {
      listeners.add(fn);
      fn(api);
      return function () { listeners.delete(fn); };
    },
  };
  window.flowChecker = api;

  function emit() {
    listeners.forEach(function (fn) { fn(api); });
  }

  function fail(message) {
    if (api.state === "error") return;
    api.state = "error";
    api.error = message;
    clearTimeout(timer);
    if (worker) worker.terminate();
    pending.forEach(function (p) { p.reject(new Error(message)); });
    pending.clear();
    emit();
  }

  // Why the checker cannot run here, or "" when it can.
  function unsupported() {
    if (location.protocol === "file:") {
      return "The checker cannot run from a file opened on disk (file://). Serve the site over HTTP, for example with `make serve`, and open it from there.";
    }
    if (typeof WebAssembly !== "object" || typeof Worker !== "function") {
      return "This browser has WebAssembly or Web Workers turned off, and the checker needs both. The guide's pages still work; the command line `python3 -m checker` gives the same answers.";
    }
    return "";
  }

  function start() {
    if (api.state !== "idle") return api;
    var why = unsupported();
    if (why) { api.state = "loading"; fail(why); return api; }
    api.state = "loading";
    api.step = 1;
    api.stage = "download";
    emit();
    try {
      worker = new Worker(new URL("worker.mjs", here), { type: "module" });
    } catch (err) {
      fail("The browser refused to start the checker's worker (" + err.message + "). A browser policy or extension may block Web Workers.");
      return api;
    }
    worker.onmessage = onMessage;
    worker.onerror = function (event) {
      event.preventDefault();
      fail("The checker's worker could not load" + (event.message ? " (" + event.message + ")" : "") + ". Reload the page to try again.");
    };
    timer = setTimeout(function () {
      fail("Python did not start within " + LOAD_TIMEOUT_MS / 1000 + " seconds. The network may be slow or blocking the runtime files; reload the page to try again.");
    }, LOAD_TIMEOUT_MS);
    return api;
  }

  function onMessage(event) {
    var msg = event.data;
    if (msg.type === "progress") {
      api.step = msg.step;
      api.of = msg.of;
      api.stage = msg.stage;
      emit();
    } else if (msg.type === "ready") {
      clearTimeout(timer);
      api.state = "ready";
      api.version = msg.version;
      api.readyAt = performance.now(); // ms since navigation start (read by tools/bench_browser.py)
      api.restored = Boolean(msg.snapshot); // started from the cached memory snapshot
      emit();
      // For the next visit: once the page is idle, the worker fetches the memory snapshot in the
      // background (assets/checker/snapshot.mjs); the answer lands in api.snapshotState.
      idle(function () {
        if (navigator.connection && navigator.connection.saveData) api.snapshotState = "save-data";
        else if (worker && api.state === "ready") worker.postMessage({ control: "prefetch-snapshot" });
      }, { timeout: 10000 });
    } else if (msg.type === "snapshot") {
      api.snapshotState = msg.state;
    } else if (msg.type === "fatal") {
      fail("The checker could not start: " + msg.message);
    } else if (pending.has(msg.id)) {
      var p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.type === "result") p.resolve(msg.result);
      else p.reject(new Error(msg.message));
    }
  }

  // kind: "diagnose" ({text, answers}) or "setup" ({setup}). Resolves with the checker's JSON
  // dict; a request made while Python loads waits in the worker and runs once it is ready.
  function run(kind, args) {
    start();
    if (api.state === "error") return Promise.reject(new Error(api.error));
    return new Promise(function (resolve, reject) {
      var id = nextId++;
      pending.set(id, { resolve: resolve, reject: reject });
      worker.postMessage({ id: id, kind: kind, args: args });
    });
  }

  // Deep links (#q=...) are noted the moment they appear: Material's navigation.tracking soon
  // rewrites the hash to the heading in view, and a hash change can make Material re-render
  // the page, so the #checker that mounts afterwards must still find the link.
  var DEEP = /^#(?:.*&)?q=/;
  var deepLink = { hash: "", path: "", at: 0 };
  function noteDeepLink(url) {
    url = url || location;
    if (DEEP.test(url.hash)) deepLink = { hash: url.hash, path: url.pathname, at: Date.now() };
  }
  noteDeepLink();
  window.addEventListener("hashchange", function () { noteDeepLink(); });
  window.addEventListener("popstate", function () { noteDeepLink(); });
  // Instant navigation changes the URL with pushState (no hashchange): note a link to a deep
  // link when it is clicked, before Material handles the click.
  document.addEventListener("click", function (event) {
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (link) noteDeepLink(new URL(link.href, location.href));
  }, true);

  // A Check pressed before the page's UI module has run: never a native submit (which would
  // reload the page, empty the box and restart the download); it is kept here, said so, and run
  // by the UI as soon as it mounts (api.takeEarly). Listens from the first moment this runs.
  var early = null;
  function keep(kind, event) {
    var root = document.getElementById("checker");
    if (!root || root.dataset.mounted) return; // the UI handles it
    event.preventDefault();
    early = kind;
    var status = root.querySelector(".fc-status__text");
    if (status) status.textContent = "Your check will run as soon as the checker is ready.";
    var box = root.querySelector(kind === "setup" ? "#checker-setup-results" : "#checker-results");
    if (box) {
      box.setAttribute("aria-busy", "true");
      var p = document.createElement("p");
      p.className = "fc-working";
      p.textContent = "Waiting for the checker to finish loading, then checking…";
      box.replaceChildren(p);
    }
  }
  function kindOf(target) {
    if (!target || !target.closest) return "";
    if (target.closest("#checker-run, #checker-form")) return "diagnose";
    if (target.closest("#checker-setup-run, #checker-setup-form")) return "setup";
    return "";
  }
  document.addEventListener("submit", function (e) { var k = kindOf(e.target); if (k) keep(k, e); }, true);
  document.addEventListener("click", function (e) {
    var k = e.target && e.target.closest && e.target.closest("#checker-run, #checker-setup-run") ? kindOf(e.target) : "";
    if (k) keep(k, e);
  }, true);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey) && e.target && e.target.id === "checker-input") keep("diagnose", e);
  }, true);
  api.takeEarly = function () { var k = early; early = null; return k; };

  // In place of the checker: what went wrong, and where the rest of the guide is. Lives here,
  // not in the UI module, because that module may be what failed to load (file://, blocked).
  function showError(root, message) {
    root.setAttribute("data-state", "error");
    var box = root.querySelector(".fc-error");
    if (!box) {
      box = document.createElement("div");
      box.className = "fc-error";
      box.setAttribute("role", "alert");
      root.prepend(box);
    }
    var title = document.createElement("p");
    title.appendChild(document.createElement("strong")).textContent = "The checker cannot run in this browser.";
    var why = document.createElement("p");
    why.textContent = message;
    var more = document.createElement("p");
    var link = document.createElement("a");
    link.href = new URL("../../problems/", here).href;
    link.textContent = "the list of problems";
    more.append("The rest of the guide works without it: start from ", link, ".");
    box.replaceChildren(title, why, more);
    box.hidden = false;
    var results = root.querySelector("#checker-results");
    if (results) results.setAttribute("aria-busy", "false");
  }
  api.showError = showError;

  // The UI module loads only on pages that hold the checker (or the policy or sign-in log checker).
  var ui = null;
  var policiesUi = null;
  function mountPolicies(root) {
    start();
    if (api.state === "error") return showError(root, api.error);
    policiesUi = policiesUi || import(new URL("policies.mjs", here).href);
    policiesUi.then(function (m) { m.mount(root, api); }, function (err) {
      showError(root, "The policy checker's script could not load (" + err.message + "). Reload the page to try again.");
    });
  }
  // The sign-in logs page (#signins): the same worker, its own UI module.
  var signinsUi = null;
  function mountSignins(root) {
    start();
    if (api.state === "error") return showError(root, api.error);
    signinsUi = signinsUi || import(new URL("signins.js", here).href);
    signinsUi.then(function (m) { m.mount(root, api); }, function (err) {
      showError(root, "The sign-in log checker's script could not load (" + err.message + "). Reload the page to try again.");
    });
  }
  function mount() {
    var policies = document.getElementById("policies");
    if (policies) mountPolicies(policies);
    var signins = document.getElementById("signins");
    if (signins) mountSignins(signins);
    var root = document.getElementById("checker");
    if (!root) return;
    start(); // on the checker page there is no reason to wait for idle time
    if (api.state === "error") {
      showError(root, api.error);
      return;
    }
    var hash = DEEP.test(location.hash) ? location.hash : "";
    if (!hash && deepLink.path === location.pathname && Date.now() - deepLink.at < 10000) hash = deepLink.hash;
    if (hash) deepLink.at = 0; // used: a later visit to the page without a link starts empty
    ui = ui || import(new URL("checker.js", here).href);
    ui.then(function (m) { m.mount(root, api, hash); }, function (err) {
      showError(root, "The checker's page script could not load (" + err.message + "). Reload the page to try again.");
    });
  }

  if (script && script.dataset.start === "now") start(); // the checker page: no need to wait

  // Once the page is parsed (Material's bundle has run by then): mount the first page on its own
  // (Material's document$ never fires on file://), then each page instant navigation brings in.
  // Mounting a root twice is a no-op.
  function whenParsed() {
    mount();
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(mount);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", whenParsed);
  else whenParsed();

  idle(function () { start(); }, { timeout: 4000 });
})();
