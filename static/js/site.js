// Small progressive enhancements shared by every page. The site works without JavaScript.
(function () {
  "use strict";

  // Forms with data-confirm ask before submitting (withdrawing, deregistering, …).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Mirror the checked state on choice labels so toggles look pressed even where the
  // browser lacks the CSS :has() selector.
  function mark(input) {
    var label = input.closest("label.choice");
    if (label) {
      label.classList.toggle("is-checked", input.checked);
    }
  }
  function markAll() {
    document.querySelectorAll("label.choice input").forEach(mark);
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("label.choice input")) {
      if (event.target.type === "radio") {
        markAll();
      } else {
        mark(event.target);
      }
    }
  });
  markAll();
})();
