import express from 'express';
import request from 'supertest';
import { NotFoundError, PreconditionFailedError, ProjectionTimeoutError } from '@pcn/eventsourcing';
import { problemHandler, toProblem } from './problem';

const silent = { error: () => undefined, warn: () => undefined };

describe('problem+json', () => {
  it('answers a read model that lags with 503 and a retry hint, not a 500', async () => {
    const app = express();
    app.get('/x', () => {
      throw new ProjectionTimeoutError('attribution', 42, 40);
    });
    app.use(problemHandler(silent));
    const res = await request(app).get('/x');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toMatchObject({ type: 'urn:pcn:problem:read-model-behind', status: 503, retryAfterSeconds: 1, instance: '/x' });
  });

  it('gives the figures of a refused precondition as extension members', () => {
    const refusal = new PreconditionFailedError('the panel is full', [{ type: 'PANEL_CAPACITY', subject: 'rpps', description: 'count 3, capacity 3' }], {
      count: 3,
      capacity: 3,
      status: 'clash',
    });
    expect(toProblem(refusal)).toEqual({
      type: 'urn:pcn:problem:failed-precondition',
      title: 'Not allowed in the current state',
      status: 409,
      detail: 'the panel is full',
      violations: [{ type: 'PANEL_CAPACITY', subject: 'rpps', description: 'count 3, capacity 3' }],
      count: 3,
      capacity: 3,
    });
  });

  it('sends no Retry-After on other errors', async () => {
    const app = express();
    app.get('/x', () => {
      throw new NotFoundError('centre', '930000013');
    });
    app.use(problemHandler(silent));
    const res = await request(app).get('/x');
    expect(res.status).toBe(404);
    expect(res.headers['retry-after']).toBeUndefined();
  });
});
