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

// A table wider than the screen scrolls inside its .table-responsive box: make that box reachable by keyboard
// (arrow keys scroll it) and name it after the table's caption, as WCAG 2.1.1 asks; boxes that fit stay out of the
// tab order.
function markScrollableTables() {
  document.querySelectorAll(".table-responsive").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      const caption = box.querySelector("caption");
      box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Bảng cuộn ngang");
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollableTables);
window.addEventListener("resize", markScrollableTables);
