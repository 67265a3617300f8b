/* clientguard dashboard: small progressive enhancements (pages work without it).
   - Copy buttons: navigator.clipboard, falling back to a hidden textarea + execCommand.
   - Drag & drop on the upload zone; upload progress from htmx's XHR progress events.
   - CSRF header on every htmx request, read from <meta name="csrf-token">. */
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var ta = document.createElement("textarea");
      ta.value = text;
      ta.setAttribute("readonly", "");
      ta.style.position = "fixed";
      ta.style.opacity = "0";
      document.body.appendChild(ta);
      ta.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(ta);
      ok ? resolve() : reject(new Error("copy failed"));
    });
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-copy]");
    if (!btn) return;
    var src = document.getElementById(btn.getAttribute("data-copy"));
    if (!src) return;
    var label = btn.textContent;
    copyText(src.innerText).then(function () {
      btn.setAttribute("data-copied", "true");
      btn.classList.add("done");
      btn.textContent = btn.getAttribute("data-copied-text") || "Copied";
      setTimeout(function () { btn.textContent = label; btn.classList.remove("done"); }, 2500);
    }, function () { btn.setAttribute("data-copied", "error"); });
  });

  document.addEventListener("htmx:configRequest", function (ev) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) ev.detail.headers["X-CSRF-Token"] = meta.content;
  });

  function showName(zone, input) {
    var out = zone.querySelector(".file-name");
    if (out && input.files && input.files.length) out.textContent = input.files[0].name;
  }

  document.querySelectorAll(".dropzone").forEach(function (zone) {
    var input = zone.querySelector('input[type="file"]');
    if (!input) return;
    input.addEventListener("change", function () { showName(zone, input); });
    ["dragenter", "dragover"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (t) {
      zone.addEventListener(t, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        showName(zone, input);
      }
    });
  });

  document.addEventListener("htmx:xhr:progress", function (ev) {
    var bar = document.getElementById("upload-progress");
    if (!bar || !ev.detail.lengthComputable || !ev.detail.elt || ev.detail.elt.id !== "upload-form") return;
    bar.hidden = false;
    bar.value = Math.round((ev.detail.loaded / ev.detail.total) * 100);
  });
  document.addEventListener("htmx:afterRequest", function (ev) {
    var bar = document.getElementById("upload-progress");
    if (bar && ev.detail.elt && ev.detail.elt.id === "upload-form") bar.hidden = true;
  });
  // The language switch keeps what the address says now: a search typed on the portfolio
  // updates the address (hx-push-url) after the link was rendered.
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest("a.lang");
    if (!link) return;
    var target = new URLSearchParams(link.getAttribute("href").replace(/^\?/, "")).get("lang");
    var params = new URLSearchParams(window.location.search);
    params.set("lang", target);
    link.setAttribute("href", "?" + params.toString());
  });
  // One click, one submission: a double click on "Add note" chained the note twice into
  // the append-only evidence log. Buttons come back when the page is shown again (Back).
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (ev.defaultPrevented || form.hasAttribute("hx-post")) return;
    setTimeout(function () {
      form.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form button[disabled]").forEach(function (b) { b.disabled = false; });
  });
  // Errors from htmx requests arrive as full error pages: show their message in place.
  document.addEventListener("htmx:responseError", function (ev) {
    var target = ev.detail.target;
    var doc = new DOMParser().parseFromString(ev.detail.xhr.responseText, "text/html");
    var msg = doc.getElementById("error-message");
    if (target) {
      target.innerHTML = "";
      var p = document.createElement("p");
      p.className = "error-message";
      p.id = "job-error";
      p.textContent = msg ? msg.textContent : ev.detail.xhr.status + " " + ev.detail.xhr.statusText;
      target.appendChild(p);
    }
  });
})();
