/**
 * The dashboard's frame: the views it has, the hash routes that open them (`#/fleet`,
 * `#/node/<id>`, `#/events`, `#/quality`), the navigation, and what every view shares (the
 * event stream, the fleet model). A later view is one more entry in VIEWS (and, if it belongs
 * in the navigation, a label): the cluster's monitors, gossip members, roles and pools.
 */
import { el, replace } from './dom.js';
import { eventsView } from './events-view.js';
import { FleetModel } from './fleet-model.js';
import { fleetView } from './fleet-view.js';
import { LiveStream, type StreamStatus } from './live-stream.js';
import { nodeView } from './node-view.js';
import { qualityView } from './quality-view.js';
import type { AppContext, View } from './view.js';

interface ViewEntry {
  /** The first segment of the route: `#/<route>/<param>`. */
  route: string;
  /** In the navigation when set. */
  label?: string;
  make(app: AppContext, param: string): View;
}

const VIEWS: ViewEntry[] = [
  { route: 'fleet', label: 'Fleet', make: (app) => fleetView(app) },
  { route: 'node', make: (app, id) => nodeView(app, id) },
  { route: 'events', label: 'Events', make: (app) => eventsView(app) },
  { route: 'quality', label: 'Quality', make: () => qualityView() },
];

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'connecting to the event stream…',
  live: '● live',
  reconnecting: '▲ reconnecting to the event stream…',
};

export function startApp(): void {
  const main = document.getElementById('main') as HTMLElement;
  const nav = document.getElementById('nav') as HTMLElement;
  const live = document.getElementById('live') as HTMLElement;
  const stream = new LiveStream();
  const app: AppContext = {
    stream,
    fleet: new FleetModel(stream),
    navigate: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
  };
  stream.subscribe({
    status: (s) => {
      live.textContent = STATUS_TEXT[s];
      live.dataset['status'] = s;
    },
  });
  stream.open();

  replace(
    nav,
    ...VIEWS.filter((v) => v.label !== undefined).map((v) =>
      el('li', {}, el('a', { href: `#/${v.route}`, 'data-route': v.route }, v.label as string)),
    ),
  );

  let current: View | null = null;
  const route = () => {
    const [, name = 'fleet', ...rest] = location.hash.replace(/^#/, '').split('/');
    const entry = VIEWS.find((v) => v.route === name) ?? (VIEWS[0] as ViewEntry);
    let param = '';
    try {
      param = decodeURIComponent(rest.join('/'));
    } catch {
      param = rest.join('/');
    }
    current?.unmount();
    current = entry.make(app, param);
    for (const a of nav.querySelectorAll('a')) {
      if (a.dataset['route'] === entry.route) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${current.title} · heartbeat`;
    current.mount(main);
  };
  window.addEventListener('hashchange', route);
  route();
}
