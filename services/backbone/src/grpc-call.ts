import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Client, credentials, Metadata, type ChannelCredentials, type ServiceError } from '@grpc/grpc-js';
import { loadFileDescriptorSetFromBuffer, type MethodDefinition, type ServiceDefinition } from '@grpc/proto-loader';
import * as contracts from '@pcn/contracts';
import { codecOf, type MessageCodec } from './contract-codecs';
import { parseGrpcErrorDetails, statusName } from '@pcn/grpc';

const USAGE = `usage: pcn-grpc <Service>/<Method> ['<request JSON>'] [--addr host:port] [--token jwt] [--idempotency-key key] [--deadline ms] [--list]
                [--cacert ca.pem [--cert client.pem --key client.key]]
  e.g. pcn-grpc CentreRegistry/GetCentre '{"finess":"930000013"}' --token "$(npm run -s token -- --role coordinator)"
  The bearer token comes from --token or PCN_TOKEN. --cacert speaks TLS, trusting that CA for the
  server's certificate; --cert and --key present a client certificate (mutual TLS: a centre's
  software calls as the centre its certificate names, without a token).
  Requests and responses use the proto3 JSON mapping: camelCase fields, enum names, RFC 3339 timestamps.`;

function messageFns(fullName: string): MessageCodec {
  const codec = codecOf(fullName);
  if (!codec) throw new Error(`no generated code for ${fullName}`);
  return codec;
}

/**
 * A minimal grpcurl for the network's own contracts (grpcurl is not packaged for this
 * platform's registries): the descriptor set embedded by `npm run gen` finds the method and
 * its message types; ts-proto's generated codecs do the proto3 JSON mapping.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      addr: { type: 'string', default: process.env.PCN_GRPC_ADDR ?? '127.0.0.1:50051' },
      token: { type: 'string', default: process.env.PCN_TOKEN },
      'idempotency-key': { type: 'string' },
      deadline: { type: 'string', default: '10000' },
      list: { type: 'boolean', default: false },
      cacert: { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
    },
  });
  if (!values.cert !== !values.key || (values.cert && !values.cacert)) {
    process.stderr.write(`--cert and --key go together, with --cacert (mutual TLS is TLS first)\n${USAGE}\n`);
    return 2;
  }
  const definition = loadFileDescriptorSetFromBuffer(contracts.fileDescriptorSet());
  // Message types have a `format`; services do not. The kits' own test services are left out.
  const services = Object.entries(definition).filter(([name, v]) => !('format' in v) && !name.startsWith('pcn.testing.')) as [string, ServiceDefinition][];
  if (values.list || positionals.length === 0) {
    for (const [name, service] of services) process.stdout.write(`${name}: ${Object.keys(service).join(', ')}\n`);
    if (!values.list) process.stderr.write(`${USAGE}\n`);
    return values.list ? 0 : 2;
  }
  const [target, body = '{}'] = positionals as [string, string?];
  const [serviceName, methodName = ''] = target.split('/');
  const service = services.find(([name]) => name === serviceName || name.endsWith(`.${serviceName}`));
  const method = service?.[1][methodName] as MethodDefinition<unknown, unknown> | undefined;
  if (!service || !method) {
    process.stderr.write(`unknown method ${target}; --list shows the services and methods\n`);
    return 2;
  }
  const pkg = service[0].slice(0, service[0].lastIndexOf('.'));
  const fullName = (t: { type: { name: string } }) => `${pkg}.${t.type.name}`;
  const Request = messageFns(fullName(method.requestType as never));
  const Response = messageFns(fullName(method.responseType as never));
  let request: unknown;
  try {
    request = Request.fromJSON(JSON.parse(body));
  } catch (error) {
    process.stderr.write(`the request is not valid JSON: ${(error as Error).message}\n`);
    return 2;
  }
  const client = new Client(values.addr!, channelCredentials(values));
  const metadata = new Metadata();
  // Who calls: the server takes the actor from the verified token, never from a header the caller writes.
  if (values.token) metadata.set('authorization', `Bearer ${values.token.trim()}`);
  // A retry of a write with the same key answers the first result instead of writing again.
  if (values['idempotency-key']) metadata.set('idempotency-key', values['idempotency-key']);
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      method.path,
      (v: unknown) => Buffer.from(Request.encode(v).finish()),
      (b: Buffer) => Response.decode(b),
      request,
      metadata,
      { deadline: new Date(Date.now() + Number(values.deadline)) },
      (error: ServiceError | null, response?: unknown) => {
        client.close();
        if (error) {
          process.stderr.write(`${JSON.stringify({ status: statusName(error.code), ...parseGrpcErrorDetails(error) }, null, 2)}\n`);
          resolve(1);
        } else {
          process.stdout.write(`${JSON.stringify(Response.toJSON(response), null, 2)}\n`);
          resolve(0);
        }
      },
    );
  });
}

/** Plaintext, TLS trusting `--cacert`, or mutual TLS with `--cert`/`--key` too. */
function channelCredentials(files: { cacert?: string | undefined; cert?: string | undefined; key?: string | undefined }): ChannelCredentials {
  if (!files.cacert) return credentials.createInsecure();
  const read = (option: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new Error(`--${option} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  };
  return credentials.createSsl(read('cacert', files.cacert), files.key ? read('key', files.key) : null, files.cert ? read('cert', files.cert) : null);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`pcn-grpc: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
