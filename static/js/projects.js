// Sign-up and scan forms: a second tap while the first is on its way sends nothing (the
// server also keeps one sign-up per person and shift, whatever arrives).
(function () {
  "use strict";
  document.querySelectorAll("form.single-submit").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.setAttribute("aria-disabled", "true");
      });
    });
  });
})();
