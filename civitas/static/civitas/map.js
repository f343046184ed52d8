// Maps of projects (Leaflet, vendored, loaded before this module): every element with
// data-civitas-map shows the projects of a GeoJSON FeatureCollection, fetched from
// data-geojson-url (the project list's filters are in its query string) or read from the JSON
// element named by data-geojson-island. A project is a marker whose shape and colour say its
// status (the key below the map names them), and a line when it runs along a street or a route;
// each marker has a popup linking to the project. The page lists the same projects in text, which
// is also the way to reach them without a mouse.
//
// The shapes are shared with the location picker (map-picker.js): see STATUS_SHAPES.

const SVG_NS = "http://www.w3.org/2000/svg";

// The phase of a status gives its shape, so that the key does not rely on colour alone; the
// colours (civitas.css, .civitas-map-symbol--<status>) follow the status tags of the pages.
export const STATUS_SHAPES = {
  idea: "square",
  planned: "square",
  in_preparation: "square",
  funding_applied: "square",
  contracted: "triangle",
  in_progress: "triangle",
  completed: "circle",
  suspended: "diamond",
  cancelled: "cross",
};

const SHAPE_PATHS = {
  square: "M3 3h14v14H3z",
  triangle: "M10 1.5 18.5 17.5h-17z",
  circle: "M10 2a8 8 0 1 1 0 16a8 8 0 1 1 0-16z",
  diamond: "M10 1 19 10 10 19 1 10z",
  cross: "M4.5 1.5 10 7l5.5-5.5 3 3L13 10l5.5 5.5-3 3L10 13l-5.5 5.5-3-3L7 10 1.5 4.5z",
};

/** An inline SVG symbol (no style attribute: colours come from the stylesheet). */
export function statusSymbol(status) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 20 20");
  svg.setAttribute("width", "24");
  svg.setAttribute("height", "24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("civitas-map-symbol", `civitas-map-symbol--${status}`);
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", SHAPE_PATHS[STATUS_SHAPES[status] || "square"]);
  svg.append(path);
  return svg;
}

/** [lon, lat] (GeoJSON) to Leaflet's [lat, lon]. */
export const toLatLng = (point) => [point[1], point[0]];

/** A Leaflet map in ``element`` with the site's tiles (none when the setting is empty). */
export function baseMap(L, element, options = {}) {
  const data = element.dataset;
  const map = L.map(element, { zoomControl: false, scrollWheelZoom: false, ...options });
  L.control.zoom({ zoomInTitle: data.labelZoomIn, zoomOutTitle: data.labelZoomOut }).addTo(map);
  map.attributionControl.setPrefix(false);
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.attribution, maxZoom: 19 }).addTo(map);
  }
  element.setAttribute("role", "region");
  if (data.labelMap) element.setAttribute("aria-label", data.labelMap);
  return map;
}

function linesOf(geometry) {
  if (geometry.type === "LineString") return [geometry.coordinates.map(toLatLng)];
  if (geometry.type === "MultiLineString") return geometry.coordinates.map((line) => line.map(toLatLng));
  return [];
}

function popupContent(properties, labels) {
  const box = document.createElement("div");
  const title = document.createElement("a");
  title.className = "govuk-link civitas-map-popup__title";
  title.href = properties.url;
  title.textContent = properties.title;
  const facts = document.createElement("p");
  facts.className = "govuk-body-s civitas-map-popup__facts";
  facts.textContent = `${properties.code} · ${properties.status_label}`;
  box.append(title, facts);
  if (properties.place) {
    const place = document.createElement("p");
    place.className = "govuk-body-s civitas-map-popup__facts";
    place.textContent = `${labels.place}: ${properties.place}`;
    box.append(place);
  }
  return box;
}

function showLegend(element, statuses) {
  const legend = document.querySelector(`[data-civitas-map-legend="${element.id}"]`);
  if (!legend || !statuses.size) return;
  const list = legend.querySelector("ul");
  const order = Object.keys(STATUS_SHAPES);
  const sorted = [...statuses].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  for (const [status, label] of sorted) {
    const item = document.createElement("li");
    item.className = "civitas-map-legend__item";
    item.dataset.status = status;
    const text = document.createElement("span");
    text.textContent = label;
    item.append(statusSymbol(status), text);
    list.append(item);
  }
  legend.hidden = false;
}

/** Draws the features; returns the number of markers. */
export function drawProjects(L, map, element, collection) {
  const labels = { place: element.dataset.labelPlace || "" };
  const features = (collection.features || []).filter((feature) => feature.properties && feature.properties.marker);
  // The view first: Leaflet draws a marker (and makes its element) only on a map that has one.
  const bounds = L.latLngBounds([]);
  for (const feature of features) {
    bounds.extend(toLatLng(feature.properties.marker));
    linesOf(feature.geometry).forEach((line) => line.forEach((latLng) => bounds.extend(latLng)));
  }
  if (!bounds.isValid()) return 0;
  map.fitBounds(bounds, { padding: [30, 30], maxZoom: 15 });
  const statuses = new Map();
  let count = 0;
  for (const feature of features) {
    const properties = feature.properties;
    const point = properties.marker;
    for (const line of linesOf(feature.geometry)) {
      L.polyline(line, {
        className: `civitas-map-line civitas-map-line--${properties.status}`,
        interactive: false,
      }).addTo(map);
    }
    const icon = L.divIcon({ className: "civitas-map-marker", html: statusSymbol(properties.status), iconSize: [24, 24] });
    const name = `${properties.title} (${properties.status_label})`;
    // A popup leads to the project; on the project's own page the marker is only a picture.
    const linked = Boolean(properties.url) && properties.url !== window.location.pathname;
    const marker = L.marker(toLatLng(point), { icon, title: name, keyboard: linked, riseOnHover: true }).addTo(map);
    if (linked) {
      marker.getElement().setAttribute("aria-label", name);
      marker.bindPopup(() => popupContent(properties, labels));
    } else {
      marker.getElement().setAttribute("aria-hidden", "true");
    }
    marker.getElement().dataset.status = properties.status;
    statuses.set(properties.status, properties.status_label);
    count += 1;
  }
  map.on("popupopen", (event) => {
    const close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close && element.dataset.labelClose) close.setAttribute("aria-label", element.dataset.labelClose);
  });
  showLegend(element, statuses);
  element.dataset.markers = String(count);
  return count;
}

async function collectionFor(element) {
  const data = element.dataset;
  if (data.geojsonIsland) {
    const feature = JSON.parse(document.getElementById(data.geojsonIsland).textContent);
    return feature.type === "FeatureCollection" ? feature : { type: "FeatureCollection", features: [feature] };
  }
  const response = await fetch(data.geojsonUrl, { headers: { Accept: "application/geo+json" } });
  if (!response.ok) throw new Error(`map data: ${response.status}`);
  return response.json();
}

async function start(element) {
  const L = window.L;
  if (!L) return;
  const collection = await collectionFor(element);
  if (!(collection.features || []).some((feature) => feature.properties && feature.properties.marker)) {
    element.hidden = true;
    const empty = element.parentElement.querySelector(".civitas-map-empty");
    if (empty) empty.hidden = false;
    element.dataset.markers = "0";
    return;
  }
  const map = baseMap(L, element);
  drawProjects(L, map, element, collection);
}

for (const element of document.querySelectorAll("[data-civitas-map]")) {
  start(element);
}
