// The bulk print progress page: asks the job's status URL every second and updates the bar, the counts and the
// message, until the job is done (the download button appears) or failed (the error is shown).
(function () {
  "use strict";
  var box = document.getElementById("tien-do");
  if (!box) return;
  var bar = document.getElementById("thanh-tien-do");
  var fill = document.getElementById("thanh-tien-do-muc");
  // The page's Content Security Policy forbids style attributes, so the bar's first width is set here.
  fill.style.width = bar.getAttribute("aria-valuenow") + "%";
  if (box.getAttribute("data-finished") === "1") return;
  var url = box.getAttribute("data-status-url");
  var label = document.getElementById("trang-thai");
  var counts = document.getElementById("so-bieu-mau");
  var message = document.getElementById("thong-bao-in");
  var download = document.getElementById("tai-ve");

  function show(state) {
    bar.setAttribute("aria-valuenow", state.percent);
    fill.style.width = state.percent + "%";
    fill.textContent = state.percent + "%";
    label.textContent = state.status_label;
    counts.textContent = state.done + "/" + state.total;
    message.textContent = state.message;
    if (!state.finished) return;
    fill.classList.remove("progress-bar-striped", "progress-bar-animated");
    fill.classList.add(state.status === "failed" ? "bg-danger" : "bg-success");
    message.classList.remove("alert-info");
    message.classList.add(state.status === "failed" ? "alert-danger" : "alert-success");
    if (state.download_url) {
      download.href = state.download_url;
      download.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        show(state);
        if (!state.finished) setTimeout(poll, 1000);
      })
      .catch(function () {
        // A passing network or server hiccup: keep asking, a little slower.
        setTimeout(poll, 3000);
      });
  }

  setTimeout(poll, 1000);
})();
