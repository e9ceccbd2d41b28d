/* Rashomon: small, dependency-free behaviour for the report and the web app.
 * No inline handlers anywhere: everything is wired here so a strict CSP holds.
 * Never writes untrusted text as HTML: only textContent and attributes. */
(function () {
  "use strict";

  /* Client-side filter: <input data-filter="#table"> hides rows not matching every word. */
  function setupFilters() {
    document.querySelectorAll("input[data-filter]").forEach(function (input) {
      var sel = input.getAttribute("data-filter");
      var table = document.querySelector(sel);
      if (!table) return;
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var texts = rows.map(function (r) { return r.textContent.toLowerCase().replace(/\s+/g, " "); });
      var counter = document.querySelector('[data-count-for="' + sel + '"]');
      var empty = document.querySelector('[data-empty-for="' + sel + '"]');
      function apply() {
        var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (r, i) {
          var ok = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
          r.hidden = !ok;
          if (ok) shown += 1;
        });
        if (counter) counter.textContent = (words.length ? shown + " of " : "") + rows.length + " stories";
        if (empty) empty.hidden = shown !== 0;
      }
      input.addEventListener("input", apply);
      if (input.value) apply();
    });
  }

  /* Evidence anchors: :target highlights the first piece; this marks every piece of the span. */
  function highlightTarget() {
    document.querySelectorAll("mark.ev.hit").forEach(function (m) { m.classList.remove("hit"); });
    var id = decodeURIComponent((location.hash || "").slice(1));
    if (!/^s-\d+-\d+$/.test(id)) return;
    var pieces = document.querySelectorAll('mark.ev[data-ev="' + id + '"]');
    pieces.forEach(function (m) { m.classList.add("hit"); });
    if (pieces.length) {
      pieces[0].scrollIntoView({ block: "center" });
    }
  }

  /* Legend toggles: <input type=checkbox data-toggle="hide-claims"> */
  function setupToggles() {
    var text = document.getElementById("article-text");
    if (!text) return;
    document.querySelectorAll("input[data-toggle]").forEach(function (box) {
      var cls = box.getAttribute("data-toggle");
      box.addEventListener("change", function () { text.classList.toggle(cls, !box.checked); });
    });
  }

  /* Upload form (web app): send with the bearer token, then follow the job. */
  function setupUpload() {
    var form = document.getElementById("upload-form");
    if (!form) return;
    var err = document.getElementById("upload-error");
    var tokenInput = form.querySelector('input[name="token"]');
    try {
      var saved = window.sessionStorage.getItem("rashomon-token");
      if (saved && tokenInput && !tokenInput.value) tokenInput.value = saved;
    } catch (e) { /* storage may be disabled */ }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      err.hidden = true;
      var token = tokenInput ? tokenInput.value.trim() : "";
      try { window.sessionStorage.setItem("rashomon-token", token); } catch (e) { /* ignore */ }
      var data = new FormData();
      ["text", "title", "published", "outlet", "url"].forEach(function (name) {
        var el = form.elements.namedItem(name);
        if (el && el.value.trim()) data.append(name, el.value.trim());
      });
      var files = form.querySelector('input[type="file"]');
      if (files) Array.prototype.forEach.call(files.files, function (f) { data.append("files", f, f.name); });
      var button = form.querySelector("button[type=submit]");
      button.disabled = true;
      fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        headers: token ? { Authorization: "Bearer " + token } : {},
        credentials: "same-origin"
      }).then(function (resp) {
        return resp.json().catch(function () { return {}; }).then(function (body) {
          if (!resp.ok) throw new Error(body.error || body.detail && JSON.stringify(body.detail) || ("HTTP " + resp.status));
          window.location.assign("/jobs/" + encodeURIComponent(body.job_id));
        });
      }).catch(function (e) {
        err.textContent = String(e.message || e);
        err.hidden = false;
        button.disabled = false;
      });
    });
  }

  /* Job page: poll /api/jobs/{id} until done. */
  function setupJob() {
    var box = document.getElementById("job");
    if (!box) return;
    var id = box.getAttribute("data-job");
    var bar = document.getElementById("job-progress");
    var state = document.getElementById("job-state");
    var stage = document.getElementById("job-stage");
    var log = document.getElementById("job-log");
    var links = document.getElementById("job-links");
    function render(j) {
      state.textContent = j.state;
      state.className = "job-state st-" + j.state;
      stage.textContent = (j.stage ? j.stage + ": " : "") + j.done + (j.total ? " / " + j.total : "");
      if (typeof j.progress === "number") { bar.max = 1; bar.value = j.progress; }
      else if (j.total) { bar.max = j.total; bar.value = j.done; } else if (j.state === "done") { bar.max = 1; bar.value = 1; }
      log.textContent = (j.messages || []).join("\n");
      if (j.state === "done" || j.state === "failed") {
        links.hidden = false;
        var list = document.getElementById("job-articles");
        list.textContent = "";
        (j.article_ids || []).forEach(function (aid) {
          var li = document.createElement("li");
          var a = document.createElement("a");
          a.href = "/articles/" + encodeURIComponent(aid);
          a.textContent = (j.titles && j.titles[aid]) || aid;
          li.appendChild(a);
          list.appendChild(li);
        });
      }
    }
    function poll() {
      fetch("/api/jobs/" + encodeURIComponent(id), { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (j) {
          render(j);
          if (j.state !== "done" && j.state !== "failed") window.setTimeout(poll, 600);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    }
    poll();
  }

  function init() {
    setupFilters();
    setupToggles();
    setupUpload();
    setupJob();
    highlightTarget();
    window.addEventListener("hashchange", highlightTarget);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
