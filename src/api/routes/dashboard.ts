/**
 * The dashboard's files, served from the API's own port: GET / and GET /dashboard (its page,
 * index.html) and GET /dashboard/<file> (the bundled script, styles, …). The files are what
 * `npm run build` writes to dist/dashboard/ (from src/dashboard/); nothing is fetched from
 * elsewhere. Only plain names in that one folder are served (no path, no dot file); a file is
 * sent with an ETag of its size and time, and `cache-control: no-cache`, so a browser asks again
 * each load and gets a 304 when nothing changed. Without a build, every dashboard path answers
 * 404 `dashboard-not-built`, saying how to build it.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiProblem } from '../http-json.js';
import { sendProblem } from '../http-json.js';
import type { RequestContext, Router } from '../router.js';

/**
 * dist/dashboard/ of the package: three folders up from this file, both as dist/api/routes/*.js
 * and as src/api/routes/*.ts (a monitor run from the sources serves the last build).
 */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(
  new URL('../../../dist/dashboard/', import.meta.url),
);

/** Content types by extension; a file of another kind is not served. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A name of one file in the folder: letters, digits, `.`, `_`, `-`, not starting with a dot. */
const FILE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/;

/**
 * Everything comes from this origin; styles may be set inline (the charts set element styles);
 * no page may frame the dashboard.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function dashboardRoutes(router: Router, dir: string = DEFAULT_DASHBOARD_DIR): void {
  const page = (ctx: RequestContext) => sendFile(ctx, dir, 'index.html');
  router.add(['GET', 'HEAD'], '/', page);
  router.add(['GET', 'HEAD'], '/dashboard', page);
  router.add(['GET', 'HEAD'], '/dashboard/:file', (ctx) => {
    const name = ctx.params['file'] as string;
    if (!FILE_NAME.test(name) || TYPES[path.extname(name)] === undefined) {
      sendProblem(ctx.res, { status: 404, reason: 'not-found', message: 'no such dashboard file' });
      return;
    }
    return sendFile(ctx, dir, name);
  });
}

async function sendFile({ req, res }: RequestContext, dir: string, name: string): Promise<void> {
  const file = path.join(dir, name);
  let info;
  try {
    info = await stat(file);
  } catch {
    info = null;
  }
  if (info === null || !info.isFile()) {
    sendProblem(res, await missing(dir, name));
    return;
  }
  const etag = `"${info.size.toString(36)}-${Math.floor(info.mtimeMs).toString(36)}"`;
  const headers = {
    ...SECURITY_HEADERS,
    'content-type': TYPES[path.extname(name)] as string,
    'cache-control': 'no-cache',
    etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const body = req.method === 'HEAD' ? null : await readFile(file);
  res.writeHead(200, { ...headers, 'content-length': info.size });
  res.end(body);
}

/** Why a dashboard file is not there: no build at all, or no such file in it. */
async function missing(dir: string, name: string): Promise<ApiProblem> {
  const built = await stat(path.join(dir, 'index.html')).then(
    () => true,
    () => false,
  );
  return built
    ? { status: 404, reason: 'not-found', message: `no dashboard file ${name}` }
    : {
        status: 404,
        reason: 'dashboard-not-built',
        message: `the dashboard is not built (${dir}): \`npm run build\` writes it`,
      };
}
