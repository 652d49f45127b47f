// Registry pages. Directory: a changed filter submits the form at once (the Search button
// stays for keyboard users and when scripts are off). Registration form: the credit code is
// upper-cased as typed and the street choice is marked required for community organizations.
(function () {
  "use strict";
  document.querySelectorAll("select.auto-submit").forEach(function (select) {
    select.addEventListener("change", function () {
      if (select.form) { select.form.submit(); }
    });
  });
  var code = document.getElementById("uscc");
  if (code) {
    code.addEventListener("input", function () {
      var start = code.selectionStart;
      code.value = code.value.toUpperCase();
      code.setSelectionRange(start, start);
    });
  }
  var form = document.getElementById("legal_form");
  var street = document.getElementById("street_id");
  if (form && street && !form.classList.contains("auto-submit")) {
    var sync = function () { street.required = form.value === "community_org"; };
    form.addEventListener("change", sync);
    sync();
  }
}());
