// Facility maps: every .facility-map container gets a Leaflet map with no tile layer:
// Natural Earth country outlines (TopoJSON shipped with the node) and clustered markers
// from the container's data-geojson URL, each popup linking to the entity's page.
"use strict";
(function () {
  function popup(feature) {
    var p = feature.properties, box = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/entities/" + encodeURIComponent(p.lcid);
    link.textContent = p.name;
    box.appendChild(link);
    if (p.country) box.appendChild(document.createTextNode(" (" + p.country + ")"));
    return box;
  }
  function draw(container) {
    // With no tile layer nothing sets the zoom range, and markercluster refuses a map
    // without maxZoom ("Map has no maxZoom specified"): set it here.
    var map = L.map(container, { keyboard: true, worldCopyJump: true, minZoom: 1, maxZoom: 18 })
      .setView([20, 0], 2);
    fetch(container.dataset.outlines).then(function (r) { return r.json(); }).then(function (world) {
      var land = topojson.feature(world, world.objects.countries);
      L.geoJSON(land, { className: "map-country", interactive: false }).addTo(map);
    });
    fetch(container.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (places) {
        var cluster = L.markerClusterGroup();
        L.geoJSON(places, {
          pointToLayer: function (feature, latlng) {
            return L.marker(latlng, { keyboard: true, title: feature.properties.name });
          },
          onEachFeature: function (feature, layer) { layer.bindPopup(popup(feature)); },
        }).eachLayer(function (layer) { cluster.addLayer(layer); });
        map.addLayer(cluster);
        if (places.features.length) map.fitBounds(cluster.getBounds(), { maxZoom: 8, padding: [20, 20] });
        container.dataset.points = String(places.features.length);
      });
  }
  document.querySelectorAll(".facility-map").forEach(draw);
})();
