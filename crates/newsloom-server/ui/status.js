// The scale-out status page: per stage lag, in-hand, redeliveries, throughput, dead letters
// and live workers, as `newsloom cluster-status` prints them. Refreshes itself while shown.

import { api, emptyState, h } from './dom.js';

const REFRESH_MS = 5000;
let timer = null;

function stageRow(s) {
  const writer = s.workers.find((w) => w.leader);
  return h('tr', null,
    h('th', { scope: 'row' }, s.stage),
    h('td', null, String(s.pending)),
    h('td', null, String(s.ack_pending)),
    h('td', null, String(s.redelivered)),
    h('td', null, String(s.done)),
    h('td', null, s.per_second.toFixed(1)),
    h('td', null, String(s.dead_letters)),
    h('td', null, String(s.workers.length), writer ? ` (writer: pid ${writer.pid})` : ''));
}

function view(st) {
  const head = ['stage', 'pending', 'in hand', 'redelivered', 'done', 'msg/s', 'dead', 'workers'];
  return h('div', { id: 'cluster-status' },
    h('table', { class: 'data' },
      h('caption', { class: 'sr' }, 'Pipeline stages'),
      h('thead', null, h('tr', null, head.map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', null, st.stages.map(stageRow))),
    h('p', null, `Decisions logged by the cluster writer: ${st.decisions}. Dead letters: ${st.dead_letters}.`),
    st.dead_reasons.length
      ? h('section', null, h('h2', null, 'Latest dead letters'), h('ul', { class: 'plain' }, st.dead_reasons.map((r) => h('li', null, r))))
      : null,
    h('p', { class: 'muted' }, `Throughput sampled over ${st.interval_s.toFixed(1)} s; refreshed every ${REFRESH_MS / 1000} s.`));
}

export async function statusPage() {
  clearInterval(timer);
  const root = h('section', null, h('h1', null, 'Pipeline status'));
  const config = await api('/api/config');
  if (!config.cluster_status) {
    root.append(emptyState('This server does not watch a scale-out pipeline.',
      'Start it with ', h('code', null, 'newsloom serve --nats nats://HOST:PORT'), ' to see the stage workers here.'));
    return root;
  }
  root.append(view(await api('/api/cluster-status')));
  timer = setInterval(async () => {
    // Stop once the page is left.
    if (!document.body.contains(root)) return clearInterval(timer);
    try {
      const next = await api('/api/cluster-status');
      root.querySelector('#cluster-status')?.replaceWith(view(next));
    } catch { /* keep the last view; the next tick tries again */ }
  }, REFRESH_MS);
  return root;
}
