// The care map (Leaflet, vendored): the scope's households and grids. Base tiles only when
// configured; without them the map draws grid circles and points on a blank background, and
// nothing leaves the site.
(function () {
  "use strict";
  if (!window.L) { return; }
  var GRID_RADIUS_M = 350;  // grids carry a centre only: a circle stands for the area
  var COLOURS = { open: "#c0392b", proposed: "#e67e22", staffed: "#27ae60", none: "#7f8c8d" };

  function baseMap(element, centre) {
    var map = L.map(element, { attributionControl: true }).setView(centre, 14);
    var tiles = element.getAttribute("data-tiles");
    if (tiles) {
      L.tileLayer(tiles, { attribution: element.getAttribute("data-attribution") || "" }).addTo(map);
    }
    return map;
  }

  function drawGrids(map, grids) {
    grids.forEach(function (grid) {
      L.circle([grid.lat, grid.lon], { radius: GRID_RADIUS_M, weight: 1, fill: false })
        .bindTooltip(grid.name).addTo(map);
    });
  }

  var overview = document.querySelector(".care-map");
  if (overview) {
    fetch(overview.getAttribute("data-source"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var points = data.households.map(function (h) { return [h.lat, h.lon]; })
          .concat(data.grids.map(function (g) { return [g.lat, g.lon]; }));
        var map = baseMap(overview, points.length ? points[0] : [45.6, 84.87]);
        drawGrids(map, data.grids);
        data.households.forEach(function (h) {
          var marker = L.circleMarker([h.lat, h.lon], {
            radius: 4 + h.priority, color: COLOURS[h.status] || COLOURS.none, weight: 2
          }).addTo(map);
          var link = document.createElement("a");
          link.href = h.url;
          link.textContent = h.pseudonym;
          marker.bindPopup(link);
        });
        if (points.length > 1) { map.fitBounds(points, { padding: [20, 20] }); }
      });
  }

}());
