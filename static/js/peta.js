// The dashboard's map of the posyandu (Leaflet 1.9.4, vendored). Its data comes from a json_script tag
// (no inline JS: CSP); choosing another indicator fetches /laporan/peta.json and recolours the points,
// the legend and the league table beside the map, which holds the same data for keyboard and screen
// reader users. Without a tile server (PETA_TILE_URL unset) the points lie on a plain background.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("peta");
  var source = document.getElementById("peta-data");
  if (!el || !source || typeof L === "undefined") return;
  var map = L.map(el, { zoomSnap: 0.5, attributionControl: true });
  map.attributionControl.setPrefix("Leaflet");
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  }
  var layer = L.featureGroup().addTo(map);
  var select = document.getElementById("peta-indikator");
  var placed = false;

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function swatch(data, index) {
    var cls = index === null || index === undefined ? null : data.classes[index];
    return text("span", "", "peta-kotak " + (cls ? "peta-w" + cls.shade : "peta-kosong"));
  }

  function popup(data, p) {
    var box = document.createElement("div");
    box.appendChild(text("strong", p.name));
    box.appendChild(text("div", p.desa));
    box.appendChild(text("div", data.indicator.name + ": " + (p.display === null ? data.no_data : p.display)));
    var link = text("a", el.dataset.labelOpen);
    link.href = data.posyandu_url.replace("/0/", "/" + p.id + "/");
    box.appendChild(link);
    return box;
  }

  function rows(data) {
    return data.points.map(function (values) {
      var p = {};
      data.fields.forEach(function (name, i) { p[name] = values[i]; });
      return p;
    });
  }

  function drawPoints(data, points) {
    layer.clearLayers();
    points.forEach(function (p) {
      if (p.lat === null || p.lon === null) return;
      var cls = p["class"] === null ? null : data.classes[p["class"]];
      L.circleMarker([p.lat, p.lon], {
        radius: 8, color: cls ? "#222" : "#555", weight: cls ? 1 : 1.5, dashArray: cls ? null : "3 2",
        fillColor: cls ? cls.colour : "#fff", fillOpacity: 1, className: "peta-titik",
      }).bindPopup(popup(data, p)).addTo(layer);
    });
    if (!placed) {
      placed = true;
      if (layer.getLayers().length === 1) map.setView(layer.getLayers()[0].getLatLng(), 14);
      else if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 15 });
      else map.setView([-2.5, 118], 4); // Indonesia, when no posyandu has coordinates yet
    }
  }

  function drawLegend(data) {
    var legend = document.getElementById("peta-legenda");
    legend.replaceChildren();
    data.classes.forEach(function (cls, index) {
      var item = document.createElement("li");
      item.append(swatch(data, index), cls.label);
      legend.appendChild(item);
    });
    var empty = document.createElement("li");
    empty.append(swatch(data, null), data.no_data);
    legend.appendChild(empty);
  }

  function drawTable(data, points) {
    document.getElementById("peta-tabel-indikator").textContent = data.indicator.name;
    var body = document.getElementById("peta-tabel-isi");
    body.replaceChildren();
    points.forEach(function (p, index) {
      var row = document.createElement("tr");
      var rank = text("td", String(index + 1) + " ", "text-nowrap");
      rank.appendChild(swatch(data, p["class"]));
      var name = document.createElement("td");
      var link = text("a", p.name, "tap");
      link.href = data.posyandu_url.replace("/0/", "/" + p.id + "/");
      name.appendChild(link);
      var value = text("td", p.display === null ? data.no_data : p.display, "text-end");
      row.append(rank, name, text("td", p.desa, "d-none d-sm-table-cell"), value); // desa: in the popup on a phone
      body.appendChild(row);
    });
  }

  function draw(data, all) {
    var points = rows(data);
    drawPoints(data, points);
    if (all) {
      drawLegend(data);
      drawTable(data, points);
    }
    el.dataset.indicator = data.indicator.code; // for the tests: which indicator the points show
  }

  draw(JSON.parse(source.textContent), false);

  if (select) {
    select.addEventListener("change", function () {
      var failed = document.getElementById("peta-galat");
      fetch(el.dataset.url + "&indikator=" + encodeURIComponent(select.value), {
        credentials: "same-origin", headers: { Accept: "application/json" },
      }).then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("application/json") === 0;
        if (!response.ok || !json) throw new Error(String(response.status));
        return response.json();
      }).then(function (data) {
        failed.hidden = true;
        draw(data, true);
        var url = new URL(window.location.href);
        url.searchParams.set("peta", data.indicator.code);
        window.history.replaceState(null, "", url);
      }).catch(function () {
        failed.textContent = el.dataset.labelFailed;
        failed.hidden = false;
      });
    });
  }
});
