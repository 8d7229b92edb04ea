// The dyad chart: events between two actors over time, stacked by quad class, with the mean
// Goldstein score as a line. Clicking a bar (or its row in the table) lists the events.

import { api, emptyState, enc, errorState, eventRow, h, QUADS } from './dom.js';
import { dyadMap } from './map.js';
import { tonePanel } from './tone.js';

const COLORS = ['#4c9f70', '#1f6f43', '#e0a030', '#c0392b'];
let chart = null;

function field(id, label, value, attrs = {}) {
  return h('label', { for: id }, label, h('input', { id, name: id, value: value || '', ...attrs }));
}

async function showEvents(target, point) {
  target.replaceChildren(h('p', { class: 'muted' }, `Loading events for ${point.period}…`));
  try {
    const page = await api(`${point.events_url}&limit=100`);
    target.replaceChildren(h('h2', { tabindex: '-1' }, `Events in ${point.period}`),
      page.items.length ? h('ul', { class: 'plain', id: 'dyad-events' }, page.items.map(eventRow)) : emptyState('No events.'));
    target.querySelector('h2').focus();
  } catch (e) {
    target.replaceChildren(errorState(e));
  }
}

export async function dyadPage(params) {
  const a = (params.get('a') || '').trim().toUpperCase();
  const b = (params.get('b') || '').trim().toUpperCase();
  const period = ['day', 'month', 'year'].includes(params.get('period')) ? params.get('period') : 'month';
  const root = h('section', null, h('h1', null, a && b ? `Dyad ${a} – ${b}` : 'Dyad'));
  const select = h('select', { id: 'period', name: 'period' }, ['day', 'month', 'year'].map((p) => h('option', { value: p, selected: p === period }, p)));
  const form = h('form', { class: 'row dyad-form' },
    field('a', 'Actor A ', a, { placeholder: 'RUS', required: true, pattern: '[A-Za-z0-9_\\-]{1,32}' }),
    field('b', 'Actor B ', b, { placeholder: 'NATO', required: true, pattern: '[A-Za-z0-9_\\-]{1,32}' }),
    h('label', { for: 'period' }, 'Per ', select),
    field('from', 'From ', params.get('from'), { placeholder: 'YYYY-MM-DD' }),
    field('to', 'To ', params.get('to'), { placeholder: 'YYYY-MM-DD' }),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const k of ['a', 'b', 'period', 'from', 'to']) {
      const v = form.elements[k].value.trim();
      if (v) p.set(k, v);
    }
    location.hash = `#/dyad?${p}`;
  });
  root.append(form);
  if (!a || !b) {
    root.append(emptyState('Pick two actors.', 'Actor codes are CAMEO-style and match by prefix: RUS matches RUSGOV. Try RUS and NATO.'));
    return root;
  }
  const q = new URLSearchParams({ a, b, period });
  for (const k of ['from', 'to']) if (params.get(k)) q.set(k, params.get(k));
  const series = await api(`/api/dyad?${q}`);
  const points = series.points;
  if (!points.length) {
    root.append(emptyState(`No dated events between ${a} and ${b}${params.get('from') || params.get('to') ? ' in this range' : ''}.`,
      'Events need both actors coded and a date; try a wider range or other codes.'));
    root.append(await suggestions(params, a, b));
    return root;
  }
  const events = h('div', { class: 'dyad-events', 'aria-live': 'polite' });
  const canvas = h('canvas', { id: 'dyad-chart', role: 'img', 'aria-label': `Events between ${a} and ${b} per ${period}, by quad class, with mean Goldstein score` });
  root.append(h('div', { class: 'chart-box' }, canvas));
  if (window.Chart) {
    if (chart) chart.destroy();
    chart = new window.Chart(canvas, {
      data: {
        labels: points.map((p) => p.period),
        datasets: [
          ...QUADS.map((label, i) => ({ type: 'bar', label, data: points.map((p) => p.quad_counts[i]), backgroundColor: COLORS[i], stack: 'q', yAxisID: 'y', maxBarThickness: 56 })),
          { type: 'line', label: 'Mean Goldstein', data: points.map((p) => p.mean_goldstein), borderColor: '#333', backgroundColor: '#333', yAxisID: 'g', tension: 0.2 },
        ],
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true },
          y: { stacked: true, beginAtZero: true, title: { display: true, text: 'events' }, ticks: { precision: 0 } },
          g: { position: 'right', min: -10, max: 10, title: { display: true, text: 'Goldstein' }, grid: { drawOnChartArea: false } },
        },
        onClick: (_ev, elements) => { if (elements.length) showEvents(events, points[elements[0].index]); },
      },
    });
  } else {
    root.append(h('p', { class: 'muted' }, 'The chart library did not load; the table below has the same data.'));
  }
  const table = h('table', { class: 'data', id: 'dyad-table' },
    h('caption', { class: 'sr' }, 'Events per period'),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, series.period), QUADS.map((q) => h('th', { scope: 'col' }, q)),
      h('th', { scope: 'col' }, 'Reports'), h('th', { scope: 'col' }, 'Mean Goldstein'), h('th', { scope: 'col' }, ''))),
    h('tbody', null, points.map((p) => h('tr', null, h('th', { scope: 'row' }, p.period), p.quad_counts.map((n) => h('td', null, String(n))),
      h('td', null, String(p.reports)), h('td', null, p.mean_goldstein.toFixed(2)),
      h('td', null, h('button', { type: 'button', class: 'link', onclick: () => showEvents(events, p) }, 'Events'))))));
  root.append(h('div', { class: 'scroll' }, table), events);
  const [map, tone] = await Promise.all([
    dyadMap(a, b).catch((e) => errorState(e)),
    tonePanel({ a, b, period }, `${a} – ${b} coverage`, 'dyad-tone').catch((e) => errorState(e)),
  ]);
  root.append(h('h2', null, 'Where the events happened'), map, h('h2', null, 'Tone of the coverage'), tone);
  return root;
}

/// Entities named like what was typed, with their actor codes: "NATO" is coded IGOWSTNAT.
async function suggestions(params, a, b) {
  const box = h('div', { class: 'suggest' });
  for (const [key, typed] of [['a', a], ['b', b]]) {
    let page;
    try { page = await api(`/api/entities?q=${enc(typed)}&limit=20`); } catch { continue; }
    const codes = [...new Set(page.items.map((e) => e.entity.code).filter((c) => c && !c.startsWith(typed)))].slice(0, 5);
    if (!codes.length) continue;
    box.append(h('p', null, `${typed} as an actor code: `, codes.map((code, i) => {
      const p = new URLSearchParams(params);
      p.set(key, code);
      return [i ? ', ' : '', h('a', { href: `#/dyad?${p}`, class: 'suggestion' }, code)];
    })));
  }
  return box;
}
