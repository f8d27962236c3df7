// Forms marked data-once disable their submit buttons after the first submit, so a double click sends once.
document.addEventListener("submit", function (event) {
  const form = event.target;
  if (!form.matches("form[data-once]")) return;
  if (form.dataset.sent === "1") { event.preventDefault(); return; }
  form.dataset.sent = "1";
  // Disable after the browser has read the form, so the clicked button's name and value are still sent.
  setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
