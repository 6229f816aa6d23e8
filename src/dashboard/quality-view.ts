/**
 * Quality: how good detection is on this network. The lab (`heartbeat lab compare`) draws each
 * detector's frontier of detection time against mistakes, and `heartbeat tune` recommends a
 * setting, both from a recording of real arrivals (`heartbeat monitor --record FILE`). The
 * monitor does not run them itself (a sweep takes minutes of CPU), so this view says whether a
 * recording is being made, how many arrivals it holds, and the commands that turn it into the
 * charts and the recommendation. Showing their results here is left for later.
 */
import { getJson, type Stats } from './api.js';
import type { View } from './view.js';
import { el, replace } from './dom.js';
import { count } from './format.js';

export function qualityView(): View {
  const abort = new AbortController();
  return {
    title: 'Quality',
    mount(root) {
      const recording = el(
        'p',
        { role: 'status' },
        'Asking the monitor whether it records arrivals…',
      );
      replace(
        root,
        el('h2', { class: 'view-title' }, 'Quality'),
        el(
          'p',
          {},
          'This view is to show, for the detectors in use, the frontier of detection time against ',
          'mistaken suspicions measured on this network’s own recorded heartbeats, and the setting ',
          el('code', {}, 'heartbeat tune'),
          ' recommends for them. The monitor does not compute these itself (a sweep takes minutes of CPU); ',
          'they are made from a recording, on any machine:',
        ),
        recording,
        el(
          'pre',
          { class: 'commands' },
          '# record arrivals (the monitor appends each accepted heartbeat)\n',
          'heartbeat monitor --record arrivals.tsv\n\n',
          '# the recommendation: the fastest setting with at most one mistake a day\n',
          'heartbeat tune arrivals.tsv --mistakes-per-day 1\n\n',
          '# the frontier charts (SVG, PNG) and tables of every detector\n',
          'heartbeat lab compare arrivals.tsv --out quality/',
        ),
        el(
          'p',
          { class: 'missing' },
          'Not here yet: the charts and the recommendation themselves. See docs/LAB.md and docs/TUNER.md for what they show.',
        ),
      );
      getJson<Stats>('/v1/stats', abort.signal).then(
        (stats) => {
          const r = stats.recording;
          recording.textContent =
            r === null
              ? 'This monitor is not recording arrivals: start it with --record FILE (or recordPath in its configuration) to have something to tune on.'
              : `This monitor records arrivals: ${count(r.lines ?? 0)} written${(r.dropped ?? 0) > 0 ? `, ${count(r.dropped ?? 0)} dropped` : ''}.`;
        },
        (error: Error) => {
          if (!abort.signal.aborted)
            recording.textContent = `Could not ask the monitor: ${error.message}`;
        },
      );
    },
    unmount() {
      abort.abort();
    },
  };
}
