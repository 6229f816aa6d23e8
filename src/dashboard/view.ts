/**
 * What a view of the dashboard is, and what every view gets: the shared event stream, the
 * fleet model, and a way to go to another view (app.ts routes between them).
 */
import type { FleetModel } from './fleet-model.js';
import type { LiveStream } from './live-stream.js';

export interface AppContext {
  stream: LiveStream;
  fleet: FleetModel;
  navigate(hash: string): void;
}

export interface View {
  title: string;
  mount(root: HTMLElement): void;
  unmount(): void;
}
