// Keeps what is typed in a form marked data-draft-keeper in localStorage, keyed by the page's path, so that a
// session that expires while typing loses nothing: after logging in again the same page restores the draft.
// A draft is restored only over the very values it was typed on (its "base"), never over newer saved data.
// The page shown after a successful save carries data-draft-clear="<form path>" and the draft is dropped.
(function () {
  "use strict";
  var PREFIX = "draft:";
  var store;
  try { store = window.localStorage; } catch (e) { return; }
  if (!store) return;

  document.querySelectorAll("[data-draft-clear]").forEach(function (el) {
    store.removeItem(PREFIX + el.getAttribute("data-draft-clear"));
  });

  var form = document.querySelector("form[data-draft-keeper]");
  if (!form) return;
  var key = PREFIX + window.location.pathname;

  function inputs() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && !/^(file|submit|button|reset|password)$/.test(el.type);
    });
  }
  function read() {
    var values = {};
    inputs().forEach(function (el) {
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) values[el.name] = el.value;
        else if (!(el.name in values)) values[el.name] = "";
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }
  function write(values) {
    inputs().forEach(function (el) {
      if (!(el.name in values)) return;
      if (el.type === "radio" || el.type === "checkbox") el.checked = el.value === values[el.name];
      else el.value = values[el.name];
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  var base = JSON.stringify(read());
  var saved = null;
  try { saved = JSON.parse(store.getItem(key)); } catch (e) { saved = null; }
  if (saved && saved.base === base && JSON.stringify(saved.values) !== base) {
    write(saved.values);
    var notice = document.querySelector("[data-draft-notice]");
    if (notice) notice.hidden = false;
  }

  function save() {
    var values = read();
    try {
      if (JSON.stringify(values) === base) store.removeItem(key);
      else store.setItem(key, JSON.stringify({ base: base, values: values, at: Date.now() }));
    } catch (e) { /* storage full or disabled: typing goes on without a local copy */ }
  }
  var timer = null;
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 300); });
  form.addEventListener("change", save);

  var discard = document.querySelector("[data-draft-discard]");
  if (discard) discard.addEventListener("click", function () { store.removeItem(key); window.location.reload(); });
})();
