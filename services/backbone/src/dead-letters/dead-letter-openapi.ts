import type { Operation } from '@pcn/http';

const text = { type: 'string' };
const problemSchema = {
  type: 'object',
  properties: {
    type: text,
    title: text,
    status: { type: 'integer' },
    detail: text,
    instance: text,
    errors: { type: 'array', items: { type: 'object', properties: { field: text, description: text } } },
    violations: { type: 'array', items: { type: 'object', properties: { type: text, subject: text, description: text } } },
  },
};
const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemSchema } } });
const ok = (description: string, schema: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema}` } } } });
const query = (name: string, schema: object, description: string) => ({ name, in: 'query', required: false, schema, description });

/** The dead-letter routes, merged into the process's OpenAPI document like a service's. */
export const deadLetterOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'Dead letters',
    version: '1.0.0',
    description: 'Messages the consumer groups of this process gave up on: list them, replay one once its cause is fixed.',
  },
  paths: {
    '/v1/dead-letters': {
      get: {
        operationId: 'ListDeadLetters',
        tags: ['dead-letters'],
        summary: 'List the dead letters of the consumer groups of this process, oldest first',
        parameters: [
          query('consumer', { type: 'string' }, 'Only those of this consumer group, e.g. attribution-centres'),
          query('topic', { type: 'string' }, 'Only those read from this topic, e.g. pcn.registry.v1'),
          query('pageSize', { type: 'integer', minimum: 1, maximum: 500, default: 100 }, 'Dead letters per page'),
          query('pageToken', { type: 'string' }, 'nextPageToken of the previous page'),
        ],
        responses: { 200: ok('A page of dead letters', 'DeadLetterPage'), 400: problem('A query parameter is invalid or unknown') },
      },
    },
    '/v1/dead-letters/{id}/replay': {
      post: {
        operationId: 'ReplayDeadLetter',
        tags: ['dead-letters'],
        summary: 'Re-deliver a dead letter to its consumer group, once; refused if it was replayed already',
        parameters: [
          { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[1-9][0-9]{0,14}$' }, description: 'Id of the dead letter' },
        ],
        responses: {
          200: ok('The consumer handled the message; the dead letter carries replayedAt', 'DeadLetter'),
          400: problem('The id is not a dead letter id'),
          404: problem('No such dead letter'),
          409: problem(
            'Replayed already (ALREADY_REPLAYED), its consumer group does not run in this process (CONSUMER_NOT_HERE), or the consumer failed again (REPLAY_FAILED, the reason in violations)',
          ),
        },
      },
    },
  },
  components: {
    schemas: {
      DeadLetter: {
        type: 'object',
        required: ['id', 'topic', 'partition', 'offset', 'consumer', 'key', 'reason', 'attempts', 'deadLetteredAt', 'deadLetterTopic', 'message'],
        properties: {
          id: { ...text, description: 'Order of recording; the id to replay it by' },
          topic: { ...text, description: 'Topic the message was read from' },
          partition: { type: 'integer' },
          offset: { ...text, description: 'Position in the partition (a decimal string)' },
          consumer: { ...text, description: 'Consumer group that gave up on it' },
          key: { ...text, description: 'Partition key (the aggregate id)' },
          reason: { ...text, description: 'The error of the last attempt' },
          attempts: { type: 'integer' },
          deadLetteredAt: { type: 'string', format: 'date-time' },
          replayedAt: { type: 'string', format: 'date-time', description: 'When a replay succeeded; absent until then' },
          deadLetterTopic: text,
          message: {
            type: 'object',
            description: 'The original CloudEvent',
            properties: {
              id: text,
              type: text,
              source: text,
              time: text,
              subject: text,
              contentType: text,
              data: { type: 'string', contentEncoding: 'base64' },
            },
          },
        },
      },
      DeadLetterPage: {
        type: 'object',
        required: ['deadLetters'],
        properties: { deadLetters: { type: 'array', items: { $ref: '#/components/schemas/DeadLetter' } }, nextPageToken: text },
      },
    },
  },
};

/** The dead-letter operations, as the access gate names them (`deadLetters.<operationId>`). */
export const deadLetterOperations: readonly Operation[] = [
  { service: 'deadLetters', operationId: 'ListDeadLetters', method: 'GET', path: '/v1/dead-letters' },
  { service: 'deadLetters', operationId: 'ReplayDeadLetter', method: 'POST', path: '/v1/dead-letters/{id}/replay' },
];
