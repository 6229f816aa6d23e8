import { describe, expect, it } from 'vitest';
import { Router, type Handler } from '../../src/api/router.js';

describe('Router', () => {
  const a: Handler = () => {};
  const b: Handler = () => {};
  const router = new Router()
    .add(['GET', 'HEAD'], '/v1/nodes', a)
    .add('POST', '/v1/nodes', b)
    .add('GET', '/v1/nodes/:id', a)
    .add('DELETE', '/v1/nodes/:id', b);

  it('matches method and path, decoding parameters', () => {
    expect(router.match('GET', '/v1/nodes')).toEqual({ kind: 'found', handler: a, params: {} });
    expect(router.match('POST', '/v1/nodes/')).toMatchObject({ kind: 'found', handler: b });
    expect(router.match('DELETE', '/v1/nodes/web%201')).toEqual({
      kind: 'found',
      handler: b,
      params: { id: 'web 1' },
    });
  });

  it('tells an unknown path from a wrong method', () => {
    expect(router.match('GET', '/v1/nope')).toEqual({ kind: 'not-found' });
    expect(router.match('GET', '/v1/nodes/a/b')).toEqual({ kind: 'not-found' });
    expect(router.match('PUT', '/v1/nodes')).toEqual({
      kind: 'method-not-allowed',
      allow: ['GET', 'HEAD', 'POST'],
    });
  });

  it('refuses malformed percent-encoding', () => {
    expect(router.match('GET', '/v1/nodes/%E0%A4%A')).toEqual({ kind: 'bad-path' });
  });
});
