// routinekit serve: the batch progress bar (polls the server until the batch is done).
"use strict";
(function () {
  const box = document.getElementById("batch-progress");
  if (!box) return;
  const bar = document.getElementById("bar");
  const status = document.getElementById("batch-status");
  const files = document.getElementById("batch-files");
  function poll() {
    fetch("/batch/" + box.dataset.job + "/status", { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        bar.max = s.total || 1;
        bar.value = s.done;
        bar.setAttribute("value", String(s.done));
        bar.textContent = s.done;
        if (s.finished) {
          status.textContent = s.error || s.summary;
          files.hidden = !s.zip && !s.summary;
          document.getElementById("zip-link").hidden = !s.zip;
        } else {
          status.textContent = s.done + " of " + s.total + " rows done";
          window.setTimeout(poll, 400);
        }
      })
      .catch(function () { status.textContent = "Lost touch with routinekit serve."; });
  }
  poll();
})();
