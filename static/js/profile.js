// Profile page: "use my location" and showing only the chosen community's grids.
// The form works without this script; it only saves typing.
(function () {
  "use strict";
  var form = document.querySelector(".profile-form");
  if (!form) { return; }

  var community = form.querySelector(".js-community");
  var grid = form.querySelector(".js-grid");

  function filterGrids() {
    if (!community || !grid) { return; }
    var chosen = community.value;
    Array.prototype.forEach.call(grid.options, function (option) {
      var owner = option.getAttribute("data-community");
      var show = !owner || !chosen || owner === chosen;
      option.hidden = !show;
      option.disabled = !show;
    });
    var selected = grid.options[grid.selectedIndex];
    if (selected && selected.disabled) { grid.value = ""; }
  }
  if (community) {
    community.addEventListener("change", filterGrids);
    filterGrids();
  }

  var locate = form.querySelector(".js-locate");
  if (!locate || !("geolocation" in navigator)) { return; }
  var holder = locate.closest(".js-only");
  if (holder) { holder.hidden = false; }
  var status = form.querySelector(".locate-status");
  var lat = form.querySelector(".js-lat");
  var lon = form.querySelector(".js-lon");

  function say(key) { if (status) { status.textContent = status.getAttribute("data-" + key) || ""; } }

  locate.addEventListener("click", function () {
    say("working");
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      var point = form.querySelector('input[name="location_source"][value="point"]');
      if (point) { point.checked = true; }
      say("done");
    }, function () { say("failed"); }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
  });
})();
