// One progress page for every job: poll the JSON status, move the bar, then offer the result.
(function () {
  "use strict";
  var box = document.querySelector("[data-job]");
  if (!box) { return; }
  var url = box.getAttribute("data-status-url");
  var bar = box.querySelector("[data-job-progress]");
  var inner = bar.querySelector(".progress-bar");
  var delay = 700;

  function show(el, visible) { el.classList.toggle("d-none", !visible); }

  function render(s) {
    inner.style.width = s.percentage + "%";
    inner.textContent = s.percentage + "%";
    bar.setAttribute("aria-valuenow", s.percentage);
    box.querySelector("[data-job-state]").textContent = s.state_label;
    box.querySelector("[data-job-message]").textContent = s.message || "";
    var error = box.querySelector("[data-job-error]");
    error.textContent = s.error || "";
    show(error, s.state === "failed");
    var download = box.querySelector("[data-job-download]");
    if (s.download) { download.setAttribute("href", s.download); }
    show(download, !!s.download);
    var cont = box.querySelector("[data-job-continue]");
    if (s.redirect) { cont.setAttribute("href", s.redirect); }
    show(cont, s.state === "done" && !!s.redirect);
    show(box.querySelector("[data-job-retry]"), s.state === "failed");
    if (s.ready) {
      inner.classList.remove("progress-bar-striped", "progress-bar-animated");
      inner.classList.toggle("bg-danger", s.state === "failed");
      inner.classList.toggle("bg-success", s.state === "done");
    }
  }

  function poll() {
    fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (s) {
        render(s);
        if (!s.ready) { delay = Math.min(delay * 1.3, 4000); window.setTimeout(poll, delay); }
      })
      .catch(function () { window.setTimeout(poll, 4000); });
  }
  poll();
})();
