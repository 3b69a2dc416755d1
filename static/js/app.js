// Small behaviours shared by every page. No inline scripts: a strict CSP can be switched on.
(function () {
  "use strict";
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  document.querySelectorAll("[data-hide-with-js]").forEach(function (el) { el.classList.add("d-none"); });
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
