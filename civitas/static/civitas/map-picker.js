// The location picker of the back office's project form: a map on which the officer places a point
// (one click) or draws a line (a click per point, then "Finish the line"; "Undo the last point",
// "Clear"), written as GeoJSON into the form's location field, which stays available under
// "Advanced: GeoJSON" and works alone without JavaScript. The server checks what is sent
// (projects.rules.check_geometry). By keyboard: move the map with the arrow keys and add the point
// under the cross in its centre with "Add the map's centre".
//
// The map's base (tiles, zoom buttons) comes from map.js, whose hashed address the script tag gives
// in data-map-module, as init.js does for GOV.UK Frontend.

const DECIMALS = 6;
const round = (value) => Number(value.toFixed(DECIMALS));

function toPoint(latLng) {
  const wrapped = latLng.wrap();
  return [round(wrapped.lng), round(wrapped.lat)];
}

function parse(text) {
  try {
    const value = JSON.parse(text);
    return value && typeof value === "object" ? value : null;
  } catch {
    return null;
  }
}

class Picker {
  constructor(L, maps, root) {
    this.L = L;
    this.maps = maps;
    this.root = root;
    this.textarea = document.getElementById(root.dataset.field);
    this.status = root.querySelector("[data-picker-status]");
    this.mode = "point";
    this.points = []; // [lon, lat] of the point or of the line being drawn
    this.drawing = false; // a line is being drawn (clicks add points)
    this.layers = null;
  }

  start() {
    const { L, root } = this;
    root.querySelector("[data-picker-controls]").hidden = false;
    const element = root.querySelector("[data-picker-map]");
    element.hidden = false;
    this.map = this.maps.baseMap(L, element, { doubleClickZoom: false });
    this.layers = L.layerGroup().addTo(this.map);
    this.map.on("click", (event) => this.add(toPoint(event.latlng)));
    for (const radio of root.querySelectorAll("input[name$='-mode']")) {
      radio.addEventListener("change", () => this.setMode(radio.value));
    }
    root.querySelector("[data-picker-finish]").addEventListener("click", () => this.finish());
    root.querySelector("[data-picker-undo]").addEventListener("click", () => this.undo());
    root.querySelector("[data-picker-clear]").addEventListener("click", () => this.clear());
    root.querySelector("[data-picker-centre]").addEventListener("click", () => this.add(toPoint(this.map.getCenter())));
    this.textarea.addEventListener("input", () => this.readField({ fit: false }));
    const details = root.parentElement.querySelector("[data-picker-details]");
    if (details && !root.closest(".govuk-form-group--error")) details.open = false;
    this.readField({ fit: true });
    this.describe();
    if (this.hasShape()) {
      root.dataset.ready = "true";
    } else {
      this.map.setView([20, 0], 2);
      this.showContext().finally(() => {
        root.dataset.ready = "true";
      });
    }
  }

  hasShape() {
    return this.points.length > 0 || Boolean(this.other);
  }

  // The municipality's other located projects, faintly, so that the map opens on the right place.
  async showContext() {
    const url = this.root.dataset.contextUrl;
    if (url) {
      try {
        const response = await fetch(url, { headers: { Accept: "application/geo+json" } });
        const collection = response.ok ? await response.json() : { features: [] };
        const bounds = this.L.latLngBounds([]);
        for (const feature of collection.features || []) {
          const point = feature.properties && feature.properties.marker;
          if (!point) continue;
          const latLng = this.maps.toLatLng(point);
          this.L.circleMarker(latLng, { className: "civitas-picker-context", radius: 4, interactive: false }).addTo(this.map);
          bounds.extend(latLng);
        }
        if (bounds.isValid() && !this.hasShape()) this.map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14, animate: false });
      } catch {
        // Without the context the map stays on the whole world; the picker works the same.
      }
    }
  }

  setMode(mode) {
    this.mode = mode;
    this.points = [];
    this.drawing = mode === "line";
    this.other = null;
    this.write();
  }

  add(point) {
    if (this.mode === "point") {
      this.points = [point];
    } else {
      if (!this.drawing) this.points = [];
      this.drawing = true;
      this.points.push(point);
    }
    this.other = null;
    this.write();
  }

  finish() {
    if (this.mode !== "line" || this.points.length < 2) {
      this.say(this.root.dataset.labelNeedTwo);
      return;
    }
    this.drawing = false;
    this.write();
  }

  undo() {
    this.points.pop();
    if (this.mode === "line") this.drawing = true;
    this.write();
  }

  clear() {
    this.points = [];
    this.other = null;
    this.drawing = this.mode === "line";
    this.write();
  }

  geometry() {
    if (this.other) return this.other;
    if (this.mode === "point" && this.points.length === 1) return { type: "Point", coordinates: this.points[0] };
    if (this.mode === "line" && this.points.length >= 2) return { type: "LineString", coordinates: this.points };
    return null;
  }

  // The field follows the drawing: a point, a line of two points or more, or empty.
  write() {
    const geometry = this.geometry();
    this.textarea.value = geometry ? JSON.stringify(geometry) : "";
    this.draw();
    this.describe();
  }

  readField({ fit }) {
    const text = this.textarea.value.trim();
    const geometry = parse(text);
    this.other = null;
    if (!text) {
      this.points = [];
    } else if (geometry && geometry.type === "Point" && Array.isArray(geometry.coordinates)) {
      this.setModeControl("point");
      this.points = [geometry.coordinates];
    } else if (geometry && geometry.type === "LineString" && Array.isArray(geometry.coordinates)) {
      this.setModeControl("line");
      this.points = geometry.coordinates.slice();
      this.drawing = false;
    } else if (geometry && geometry.type === "MultiLineString" && Array.isArray(geometry.coordinates)) {
      // Shown as it is; drawing anew replaces it with one line or a point.
      this.setModeControl("line");
      this.points = [];
      this.drawing = false;
      this.other = geometry;
    } else {
      return; // not GeoJSON the picker draws: left to the server's check
    }
    this.draw();
    this.describe();
    if (fit) this.fit();
  }

  setModeControl(mode) {
    this.mode = mode;
    const radio = this.root.querySelector(`input[name$='-mode'][value='${mode}']`);
    if (radio) radio.checked = true;
  }

  lines() {
    if (this.other) return this.other.coordinates;
    return this.mode === "line" && this.points.length ? [this.points] : [];
  }

  draw() {
    const { L, maps } = this;
    this.layers.clearLayers();
    for (const line of this.lines()) {
      const latLngs = line.filter((p) => Array.isArray(p) && p.length >= 2).map(maps.toLatLng);
      L.polyline(latLngs, { className: "civitas-picker-line", interactive: false }).addTo(this.layers);
      for (const latLng of latLngs) {
        L.circleMarker(latLng, { className: "civitas-picker-vertex", radius: 5, interactive: false }).addTo(this.layers);
      }
    }
    if (this.mode === "point" && this.points.length === 1) {
      L.circleMarker(maps.toLatLng(this.points[0]), { className: "civitas-picker-point", radius: 8, interactive: false }).addTo(
        this.layers,
      );
    }
    this.root.dataset.points = String(this.points.length);
  }

  fit() {
    const latLngs = this.lines()
      .flat()
      .concat(this.mode === "point" ? this.points : [])
      .filter((p) => Array.isArray(p) && p.length >= 2 && Math.abs(p[1]) <= 90)
      .map(this.maps.toLatLng);
    if (latLngs.length === 1) this.map.setView(latLngs[0], 15);
    else if (latLngs.length > 1) this.map.fitBounds(this.L.latLngBounds(latLngs), { padding: [30, 30], maxZoom: 16 });
  }

  describe() {
    for (const button of this.root.querySelectorAll("[data-line-only]")) button.hidden = this.mode !== "line";
    const data = this.root.dataset;
    const n = this.points.length;
    let text;
    if (this.other) text = data.labelMulti;
    else if (this.mode === "point") text = n ? data.labelPoint.replace("%(point)s", `${this.points[0][1]}, ${this.points[0][0]}`) : data.labelNoPoint;
    else if (this.drawing) text = data.labelDrawing.replace("%(count)s", n);
    else text = n >= 2 ? data.labelLine.replace("%(count)s", n) : data.labelNoLine;
    this.say(text);
  }

  say(text) {
    if (this.status && text) this.status.textContent = text;
  }
}

const script = document.querySelector("script[data-map-module]");
const L = window.L;
if (script && L) {
  import(script.dataset.mapModule).then((maps) => {
    for (const root of document.querySelectorAll("[data-civitas-picker]")) {
      new Picker(L, maps, root).start();
    }
  });
}
