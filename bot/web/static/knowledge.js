// A staff job (add, crawl, remove): poll its status until it ends, then show the summary,
// one line per item as `python -m index` prints it. Text only, never HTML.
(function () {
  "use strict";
  var section = document.getElementById("job");
  var id = section && section.dataset.job;
  if (!id) { return; }
  section.hidden = false;
  var stage = document.getElementById("job-stage");
  var bar = document.getElementById("job-bar");

  function render(job) {
    var label = job.finished ? stage.dataset.done : stage.dataset.running;
    stage.textContent = label + " (" + job.stage + (job.total ? " " + job.done + "/" + job.total : "") + ")";
    if (job.total) { bar.max = job.total; bar.value = job.done; }
    if (!job.finished) { return false; }
    bar.max = 1; bar.value = 1;
    stage.id = "job-finished";
    document.getElementById("job-summary").textContent =
      (job.summary || "") + (job.error ? " — " + job.error : "");
    var items = document.getElementById("job-items");
    (job.items || []).forEach(function (item) {
      var li = document.createElement("li");
      li.className = "item-" + item.status;
      li.textContent = item.status + "  " + (item.status === "failed" ? item.reason :
        item.title + (item.article_id ? " (" + item.article_id + (item.passages ? ", " + item.passages + " passages" : "") + ")" : ""));
      items.appendChild(li);
    });
    (job.notes || []).forEach(function (note) {
      var li = document.createElement("li");
      li.textContent = "note: " + note;
      items.appendChild(li);
    });
    return true;
  }

  function poll() {
    fetch("/console/knowledge/jobs/" + encodeURIComponent(id), {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (job) { if (!render(job)) { setTimeout(poll, 500); } })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
