// DOM helpers. Data from the API is untrusted: it only ever reaches the page as text nodes
// or attribute values set through the DOM, never as HTML.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export async function api(path) {
  const resp = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try { body = await resp.json(); } catch { /* not JSON */ }
  if (!resp.ok) {
    const err = new Error((body && body.error) || `${resp.status} ${resp.statusText}`);
    err.status = resp.status;
    throw err;
  }
  return body;
}

/// An absolute http(s) URL or null: article URLs come from input data.
export function safeUrl(u) {
  try {
    const x = new URL(u);
    return x.protocol === 'http:' || x.protocol === 'https:' ? x.href : null;
  } catch { return null; }
}

export const enc = encodeURIComponent;
export const link = (href, ...text) => h('a', { href }, ...text);
export const storyHref = (id) => `#/story/${enc(id)}`;
export const articleHref = (id) => `#/article/${enc(id)}`;
export const entityHref = (id) => `#/entity/${enc(id)}`;

export function emptyState(title, ...hint) {
  return h('div', { class: 'empty', role: 'status' }, h('p', { class: 'empty-title' }, title), h('p', null, ...hint));
}

export function errorState(err) {
  return h('div', { class: 'error', role: 'alert' }, h('p', null, 'Something went wrong: ', err.message || String(err)));
}

export const day = (iso) => (iso ? String(iso).slice(0, 10) : '—');

export const QUADS = ['Verbal cooperation', 'Material cooperation', 'Verbal conflict', 'Material conflict'];
export const QUAD_KEYS = ['verbal_cooperation', 'material_cooperation', 'verbal_conflict', 'material_conflict'];

export function quadLabel(key) {
  const i = QUAD_KEYS.indexOf(key);
  return i >= 0 ? QUADS[i] : String(key);
}

/// A "Load more" button that fetches the next page and appends its items.
export function moreButton(container, nextCursor, fetchPage, renderItem) {
  if (!nextCursor) return null;
  const btn = h('button', { type: 'button', class: 'more' }, 'Load more');
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    try {
      const page = await fetchPage(nextCursor);
      for (const item of page.items) container.append(renderItem(item));
      const next = moreButton(container, page.next_cursor, fetchPage, renderItem);
      btn.replaceWith(next || '');
      if (next) next.focus();
    } catch (e) {
      btn.replaceWith(errorState(e));
    }
  });
  return btn;
}

/// A sentence with the span's chars (code points) marked.
export function sentenceView(s) {
  if (!s) return null;
  const cps = Array.from(s.text);
  return h('q', { class: 'sentence' }, cps.slice(0, s.start).join(''),
    h('mark', null, cps.slice(s.start, s.end).join('')), cps.slice(s.end).join(''));
}

export function eventRow(item) {
  const e = item.event;
  const a = item.article;
  return h('li', { class: 'event' },
    h('div', { class: 'event-head' },
      h('span', { class: `quad q-${e.quad_class}` }, quadLabel(e.quad_class)), ' ',
      h('strong', null, e.source_actor), ' → ', h('strong', null, e.target_actor || '—'), ' ',
      h('span', { class: 'muted' }, `CAMEO ${e.cameo}`, e.plover ? ` · ${e.plover}` : '',
        ` · Goldstein ${Number(e.goldstein).toFixed(1)}`, e.date ? ` · ${e.date}` : '',
        item.reports > 1 ? ` · ${item.reports} reports` : '', e.negated ? ' · negated' : '')),
    sentenceView(item.sentence),
    a ? h('div', { class: 'muted small' }, link(articleHref(a.id), a.title || a.id), ` — ${a.source || 'unknown outlet'}, ${day(a.published)}`) : null);
}

export function quoteRow(item) {
  const q = item.quote;
  const a = item.article;
  const speaker = q.speaker_entity ? link(entityHref(q.speaker_entity), q.speaker || q.speaker_entity) : (q.speaker || 'Unattributed');
  return h('li', { class: 'quote' },
    h('blockquote', null, q.text),
    h('div', { class: 'small' }, '— ', h('strong', null, speaker), q.medium ? ` (to ${q.medium})` : '',
      h('span', { class: 'muted' }, ` · ${q.kind}`)),
    a ? h('div', { class: 'muted small' }, link(articleHref(a.id), a.title || a.id), ` — ${a.source || 'unknown outlet'}, ${day(a.published)}`) : null);
}
