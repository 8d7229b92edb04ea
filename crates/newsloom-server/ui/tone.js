// Tone over time as an inline SVG line chart drawn here (no chart library): one point per
// period, the zero line marked, with a table of the same numbers for screen readers.

import { api, emptyState, h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/// The chart of `points` (`{ period, count, mean_tone }`); `what` names the subject.
export function toneChart(points, what, id = 'tone-chart') {
  if (!points.length) return emptyState('No tone to chart.', 'Tone needs dated articles that were analysed with tone.');
  const W = 640;
  const H = 220;
  const pad = { l: 44, r: 12, t: 12, b: 30 };
  const maxAbs = Math.max(1, ...points.map((p) => Math.abs(p.mean_tone)));
  const lim = Math.ceil(maxAbs);
  const x = (i) => pad.l + (points.length === 1 ? (W - pad.l - pad.r) / 2 : (i * (W - pad.l - pad.r)) / (points.length - 1));
  const y = (v) => pad.t + ((lim - v) * (H - pad.t - pad.b)) / (2 * lim);
  const svg = s('svg', { id, class: 'tone-chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `Mean tone of ${what} per period` });
  svg.append(s('title', null, `Mean tone of ${what}`));
  for (const v of [lim, lim / 2, 0, -lim / 2, -lim]) {
    svg.append(s('line', { x1: pad.l, x2: W - pad.r, y1: y(v), y2: y(v), class: v === 0 ? 'zero' : 'grid' }),
      s('text', { x: pad.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, Number.isInteger(v) ? v : v.toFixed(1)));
  }
  const step = Math.max(1, Math.ceil(points.length / 8));
  points.forEach((p, i) => {
    if (i % step === 0 || i === points.length - 1) {
      svg.append(s('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', class: 'tick' }, p.period));
    }
  });
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.mean_tone).toFixed(1)}`).join(' ');
  svg.append(s('path', { d, class: 'tone-line' }));
  for (const [i, p] of points.entries()) {
    svg.append(s('circle', { cx: x(i), cy: y(p.mean_tone), r: 4, class: `tone-point ${p.mean_tone < 0 ? 'neg' : 'pos'}` },
      s('title', null, `${p.period}: ${p.mean_tone.toFixed(2)} (${p.count} article${p.count === 1 ? '' : 's'})`)));
  }
  const table = h('table', { class: 'data sr' }, h('caption', null, `Mean tone of ${what}`),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Period'), h('th', { scope: 'col' }, 'Mean tone'), h('th', { scope: 'col' }, 'Articles'))),
    h('tbody', null, points.map((p) => h('tr', null, h('th', { scope: 'row' }, p.period), h('td', null, p.mean_tone.toFixed(2)), h('td', null, String(p.count))))));
  return h('figure', { class: 'chart-box tone-box' }, svg, table,
    h('figcaption', { class: 'muted small' }, 'Mean article tone (positive minus negative words, % of all words; GDELT AvgTone scale). Below 0: negative.'));
}

/// Fetches `/api/tone?<query>` and charts it.
export async function tonePanel(query, what, id) {
  const series = await api(`/api/tone?${new URLSearchParams(query)}`);
  return toneChart(series.points, what, id);
}

const SUBJECTS = [['story', 'Story id'], ['outlet', 'Outlet'], ['a', 'Actor A'], ['b', 'Actor B']];

/// `#/tone?outlet=…` (or `story=…`, or `a=…&b=…`): the tone page for any subject.
export async function tonePage(params) {
  const period = ['day', 'month', 'year'].includes(params.get('period')) ? params.get('period') : 'month';
  const root = h('section', null, h('h1', null, 'Tone over time'));
  const form = h('form', { class: 'row tone-form' },
    SUBJECTS.map(([k, label]) => h('label', { for: `tone-${k}` }, `${label} `, h('input', { id: `tone-${k}`, name: k, value: params.get(k) || '' }))),
    h('label', { for: 'tone-period' }, 'Per ', h('select', { id: 'tone-period', name: 'period' },
      ['day', 'month', 'year'].map((p) => h('option', { value: p, selected: p === period }, p)))),
    h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const p = new URLSearchParams();
    for (const k of ['story', 'outlet', 'a', 'b', 'period']) {
      const v = form.elements[k].value.trim();
      if (v) p.set(k, v);
    }
    location.hash = `#/tone?${p}`;
  });
  root.append(form);
  const q = { period };
  let what = '';
  if (params.get('story')) { q.story = params.get('story'); what = `story ${q.story}`; }
  else if (params.get('outlet')) { q.outlet = params.get('outlet'); what = q.outlet; }
  else if (params.get('a') && params.get('b')) { q.a = params.get('a'); q.b = params.get('b'); what = `${q.a} – ${q.b} coverage`; }
  if (!what) {
    root.append(emptyState('Pick a story, an outlet or two actors.', 'For example an outlet name as it appears on a story page.'));
    return root;
  }
  root.append(h('h2', null, what), await tonePanel(q, what, 'tone-chart'));
  return root;
}
