// Maps of places and events, drawn with the vendored Leaflet. The base layer is the country
// outlines shipped with the UI (Natural Earth 1:110m), so a map works offline and loads
// nothing from elsewhere; tiles appear only when the server was started with --tiles.
// Article-derived text reaches Leaflet only as DOM nodes built with textContent (dom.js `h`),
// never as HTML strings (Leaflet would set those with innerHTML).

import { api, emptyState, h } from './dom.js';

let countries = null;
let config = null;

async function baseData() {
  if (!countries) {
    countries = api('/ui/countries-110m.json').then((topo) => window.topojson.feature(topo, topo.objects.countries));
  }
  if (!config) config = api('/api/config').catch(() => ({}));
  return Promise.all([countries, config]);
}

const PLACE_STYLE = { radius: 6, color: '#0b5cad', weight: 1, fillColor: '#0b5cad', fillOpacity: 0.55 };
const EVENT_STYLE = { radius: 5, color: '#8a1c1c', weight: 2, fillColor: '#c0392b', fillOpacity: 0.8 };

/// Places with their mention counts: `{ geonameid, name, lat, lon, country, mentions, articles }`.
function placeMarker(p) {
  const radius = Math.min(18, PLACE_STYLE.radius + Math.sqrt(p.mentions || 1) * 2);
  const m = window.L.circleMarker([p.lat, p.lon], { ...PLACE_STYLE, radius, className: 'nl-marker nl-place' });
  m.bindTooltip(h('span', null, h('strong', null, p.name), p.country ? ` (${p.country})` : '',
    ` · ${p.mentions} mention${p.mentions === 1 ? '' : 's'} in ${p.articles} article${p.articles === 1 ? '' : 's'}`));
  return m;
}

/// An event at its action location.
function eventMarker(e) {
  const g = e.action_geo && e.action_geo.place;
  if (!g) return null;
  const m = window.L.circleMarker([g.lat, g.lon], { ...EVENT_STYLE, className: 'nl-marker nl-event' });
  m.bindTooltip(h('span', null, h('strong', null, `${e.source_actor} → ${e.target_actor || '—'}`),
    ` CAMEO ${e.cameo}`, e.date ? ` · ${e.date}` : '', h('br'), `at ${g.name}${g.country ? ` (${g.country})` : ''}`));
  return m;
}

/// A map of `places` (blue, sized by mentions) and `events` (red, at their action location),
/// or an empty state when there is nothing to place.
export async function placesMap(id, label, places, events) {
  if (!window.L || !window.topojson) return emptyState('The map library did not load.');
  const markers = [...places.map(placeMarker), ...events.map(eventMarker)].filter(Boolean);
  if (!markers.length) return emptyState('Nothing to map.', 'No place in these articles was resolved to coordinates.');
  const box = h('div', { class: 'map', id, role: 'region', 'aria-label': label });
  const legend = h('p', { class: 'muted small map-legend' },
    h('span', { class: 'key key-place' }), ` places (${places.length})  `,
    h('span', { class: 'key key-event' }), ` events (${markers.length - places.length})`);
  const wrap = h('div', null, box, legend);
  const [outlines, cfg] = await baseData();
  // Leaflet measures its container: draw once the box is in the page.
  requestAnimationFrame(() => {
    const map = window.L.map(box, { worldCopyJump: true, minZoom: 1, maxZoom: cfg.tiles ? 18 : 8 });
    const base = window.L.geoJSON(outlines, {
      interactive: false,
      style: { color: '#8a99a6', weight: 0.7, fillColor: '#e6ebef', fillOpacity: 1 },
    }).addTo(map);
    if (cfg.tiles) {
      // Attribution strings are constants (never article text).
      const tiles = window.L.tileLayer(cfg.tiles, { attribution: 'Map tiles: configured tile server' }).addTo(map);
      window.L.control.layers({ Tiles: tiles, 'Country outlines': base }).addTo(map);
      map.removeLayer(base);
    }
    const group = window.L.featureGroup(markers).addTo(map);
    map.fitBounds(group.getBounds().pad(0.3), { maxZoom: 6 });
  });
  return wrap;
}

/// The map of a story: its places and its located events.
export async function storyMap(storyId) {
  const [places, events] = await Promise.all([
    api(`/api/places?story=${encodeURIComponent(storyId)}&limit=200`),
    api(`/api/places/events?bbox=-180,-90,180,90&story=${encodeURIComponent(storyId)}&limit=200`),
  ]);
  return placesMap('story-map', 'Map of the places and events of this story', places, events.map((x) => x.event));
}

/// The map of a dyad: its events at their action locations.
export async function dyadMap(a, b) {
  const q = new URLSearchParams({ actor: a, target: b, both: 'true', limit: '200' });
  const page = await api(`/api/events?${q}`);
  return placesMap('dyad-map', `Map of the events between ${a} and ${b}`, [], page.items.map((x) => x.event));
}
