// The matching run's progress bar: polls the run's status row (JSON) and updates the bar,
// phase, elapsed time, best score and bound; reloads once the run has finished.
(function () {
  "use strict";
  var box = document.getElementById("run-progress");
  if (!box || box.dataset.finished === "true") { return; }
  var url = box.dataset.statusUrl;
  function text(id, value) {
    var node = document.getElementById(id);
    if (node) { node.textContent = value === null || value === undefined ? "—" : String(value); }
  }
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (status) {
        if (!status) { window.setTimeout(poll, 5000); return; }
        var bar = document.getElementById("run-bar");
        if (bar) { bar.value = status.percent; bar.textContent = status.percent + "%"; }
        text("run-phase", status.phase_label);
        text("run-elapsed", status.elapsed_s);
        text("run-score", status.best_score);
        text("run-bound", status.bound);
        text("run-state", status.state_label);
        if (status.finished) {
          var done = document.getElementById("run-done");
          if (done) { done.hidden = false; }
          window.location.reload();
          return;
        }
        window.setTimeout(poll, 1500);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
