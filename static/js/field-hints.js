// Under the lĩnh vực choice, shows only the hint of the chosen field (without JavaScript all hints stay visible).
(function () {
  "use strict";
  var select = document.getElementById("id_field");
  var box = document.querySelector("[data-field-hints]");
  if (!select || !box) return;
  function update() {
    box.querySelectorAll("[data-hint-for]").forEach(function (el) {
      el.hidden = select.value !== "" && el.getAttribute("data-hint-for") !== select.value;
    });
  }
  select.addEventListener("change", update);
  update();
})();
