import { logLevel } from 'kafkajs';
import { createLogger } from '@pcn/observability';
import { kafkajsLogCreator, kafkajsLogLevel, pinoLevelOf } from './kafkajs-logger';

describe('kafkajs logs through pino', () => {
  const capture = (level: 'debug' | 'info' | 'warn'): { lines: Record<string, unknown>[]; log: ReturnType<ReturnType<typeof kafkajsLogCreator>> } => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      service: 'test',
      level,
      destination: { write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>) },
    });
    return { lines, log: kafkajsLogCreator(logger)(logLevel.WARN) };
  };

  it('maps the configured level to kafkajs levels', () => {
    expect([kafkajsLogLevel('error'), kafkajsLogLevel('warn'), kafkajsLogLevel('info'), kafkajsLogLevel('debug')]).toEqual([
      logLevel.ERROR,
      logLevel.WARN,
      logLevel.INFO,
      logLevel.DEBUG,
    ]);
  });

  it('writes a kafkajs line as a pino line with its namespace and fields, without kafkajs timestamp and logger name', () => {
    const { lines, log } = capture('info');
    log({
      namespace: 'Runner',
      level: logLevel.WARN,
      label: 'WARN',
      log: { timestamp: '2025-01-01T00:00:00.000Z', logger: 'kafkajs', message: 'The group is rebalancing, re-joining', groupId: 'attribution' },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 'warn',
      component: 'kafkajs',
      namespace: 'Runner',
      groupId: 'attribution',
      msg: 'The group is rebalancing, re-joining',
    });
    expect(lines[0]).not.toHaveProperty('logger');
    expect(lines[0]!.time).not.toBe('2025-01-01T00:00:00.000Z');
  });

  it('serialises an Error field under err, with its message and stack', () => {
    const { lines, log } = capture('info');
    log({
      namespace: 'Consumer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', logger: 'kafkajs', message: 'Crash', error: new Error('broker gone') },
    });
    expect(lines[0]).toMatchObject({ level: 'error', err: { message: 'broker gone', type: 'Error' } });
    expect(lines[0]).not.toHaveProperty('error');
  });

  it('turns the error responses kafkajs retries by itself into debug lines, keeping other errors', () => {
    const response = {
      namespace: 'Connection',
      level: logLevel.ERROR,
      log: { timestamp: 't', message: 'Response GroupCoordinator(key: 10, version: 2)', error: 'The coordinator is loading' },
    };
    expect(pinoLevelOf(response)).toBe('debug');
    expect(pinoLevelOf({ ...response, log: { timestamp: 't', message: 'Connection error: connect ECONNREFUSED' } })).toBe('error');
    expect(pinoLevelOf({ ...response, namespace: 'Consumer', log: { timestamp: 't', message: 'Response from nowhere' } })).toBe('error');
    const { lines, log } = capture('warn');
    log({ ...response, label: 'ERROR' });
    expect(lines).toEqual([]);
  });
});
