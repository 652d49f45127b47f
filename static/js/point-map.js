// Tap-to-place point for forms with .js-lat/.js-lon inputs (see templates/_point_map.html).
// The grids of the form are drawn as circles; a tap fills both inputs and, on the profile,
// switches "home point" to the point. Base tiles only when configured.
(function () {
  "use strict";
  var holder = document.querySelector(".point-map-holder");
  if (!holder || !window.L) { return; }
  var GRID_RADIUS_M = 350;  // grids carry a centre only: a circle stands for the area
  var form = holder.closest("form");
  var lat = form.querySelector(".js-lat");
  var lon = form.querySelector(".js-lon");
  var element = holder.querySelector(".point-map");
  var grids = Array.prototype.map.call(holder.querySelectorAll(".point-map-grids li"), function (li) {
    return { lat: parseFloat(li.getAttribute("data-lat")), lon: parseFloat(li.getAttribute("data-lon")),
             name: li.textContent };
  });
  holder.hidden = false;
  var placed = lat.value && lon.value;
  var start = placed ? [parseFloat(lat.value), parseFloat(lon.value)]
    : (grids.length ? [grids[0].lat, grids[0].lon] : [45.6, 84.87]);
  var map = L.map(element).setView(start, 15);
  var tiles = element.getAttribute("data-tiles");
  if (tiles) {
    L.tileLayer(tiles, { attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
  }
  grids.forEach(function (grid) {
    L.circle([grid.lat, grid.lon], { radius: GRID_RADIUS_M, weight: 1, fill: false })
      .bindTooltip(grid.name).addTo(map);
  });
  var marker = placed ? L.circleMarker(start, { radius: 8 }).addTo(map) : null;
  map.on("click", function (event) {
    var point = event.latlng;
    lat.value = point.lat.toFixed(6);
    lon.value = point.lng.toFixed(6);
    var source = form.querySelector("input[name=location_source][value=point]");
    if (source) { source.checked = true; }
    if (marker) { marker.setLatLng(point); } else { marker = L.circleMarker(point, { radius: 8 }).addTo(map); }
  });
}());
