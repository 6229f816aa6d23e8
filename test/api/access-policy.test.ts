import { describe, expect, it } from 'vitest';
import { changesState, requiredAccess } from '../../src/api/access-policy.js';

/** The API's access table, row by row: what each request needs, and which change state. */
describe('access policy', () => {
  it.each([
    ['GET', '/healthz', 'public', false],
    ['HEAD', '/healthz', 'public', false],
    ['GET', '/', 'public', false],
    ['GET', '/dashboard', 'public', false],
    ['GET', '/dashboard/app.js', 'public', false],
    ['GET', '/dashboard/a/b', 'read', false],
    ['DELETE', '/healthz', 'write', true],
    ['GET', '/v1/nodes', 'read', false],
    ['GET', '/v1/nodes/web-1/arrivals', 'read', false],
    ['GET', '/v1/events/stream', 'read', false],
    ['GET', '/v1/stats', 'read', false],
    ['GET', '/metrics', 'read', false],
    ['GET', '/nope', 'read', false],
    ['POST', '/v1/nodes', 'write', true],
    ['DELETE', '/v1/nodes/web-1', 'write', true],
    ['PUT', '/v1/nodes', 'write', true],
    ['POST', '/v1/heartbeat', 'write', true],
    ['GET', '/ping/job', 'write', false],
    ['POST', '/ping/job', 'write', true],
    ['GET', '/ping/job/fail', 'write', true],
    ['GET', '/ping/job/leave', 'write', true],
    ['GET', '//ping//job//fail', 'write', true],
    ['GET', '/v1/keys', 'admin', false],
    ['POST', '/v1/keys/3', 'admin', true],
  ])('%s %s needs %s (changes state: %s)', (method, path, access, changes) => {
    expect(requiredAccess(method, path)).toBe(access);
    expect(changesState(method, path)).toBe(changes);
  });
});
