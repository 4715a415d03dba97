import { once } from 'node:events';
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { billingV1 as pb } from '@pcn/contracts';
import { callUnary, createClient, parseGrpcErrorDetails, statusName, withAuthorization, withDeadline } from '@pcn/grpc';

/** Where the backbone answers and who calls: the server takes the actor from the verified token. */
export interface Connection {
  /** `host:port` of the backbone's gRPC server. */
  readonly target: string;
  /** The bearer token (a JWT), without the `Bearer ` prefix. */
  readonly token: string;
  /** Deadline of each call; a national run or a large remittance needs minutes. */
  readonly deadlineMs: number;
}

/** A call the server refused or that could not be made: the status and what the server said, field by field. */
export class BillingCallError extends Error {
  constructor(
    readonly operation: string,
    readonly status: string,
    message: string,
  ) {
    super(`${operation} failed: ${status}: ${message}`);
  }

  /** The call's error as a BillingCallError; an error of the caller's own (reading its file) is answered as it is. */
  static of(operation: string, error: unknown): Error {
    const e = error as ServiceError;
    if (typeof e?.code !== 'number' || !(e.metadata instanceof Metadata)) return error instanceof Error ? error : new Error(String(error));
    const details = parseGrpcErrorDetails(e);
    const fields = details.fieldViolations.map((v) => `${v.field}: ${v.description}`);
    const preconditions = details.preconditionViolations.map((v) => v.description);
    return new BillingCallError(operation, statusName(details.code), [details.message, ...fields, ...preconditions].filter(Boolean).join('; '));
  }
}

/** The CapitationBilling calls the CLI makes, each answering plain values or a BillingCallError. */
export class BillingClient {
  private readonly client: pb.CapitationBillingClient;

  constructor(private readonly connection: Connection) {
    this.client = createClient(pb.CapitationBillingClient, connection.target, {
      clientOptions: { interceptors: [withAuthorization(`Bearer ${connection.token.trim()}`)] },
    });
  }

  close(): void {
    this.client.close();
  }

  private options() {
    return { deadline: withDeadline(this.connection.deadlineMs) };
  }

  /** Runs a period; `onProgress` hears each centre as the server reports it; answers the summary. */
  async runPeriod(request: { period: string; finess?: string }, onProgress: (p: pb.CentreProgress) => void): Promise<pb.RunSummary> {
    const stream = this.client.runPeriod(
      pb.RunPeriodRequest.fromPartial({ period: request.period, centreFiness: request.finess ?? '' }),
      new Metadata(),
      this.options(),
    );
    let summary: pb.RunSummary | undefined;
    try {
      for await (const message of stream as AsyncIterable<pb.RunPeriodResponse>) {
        if (message.event?.$case === 'progress') onProgress(message.event.value);
        else if (message.event?.$case === 'summary') summary = message.event.value;
      }
    } catch (error) {
      throw BillingCallError.of('RunPeriod', error);
    }
    if (summary === undefined) throw new BillingCallError('RunPeriod', 'DATA_LOSS', 'the stream ended without a summary');
    return summary;
  }

  /** Streams a remittance: its name, then its lines, waiting whenever the call's buffer is full. */
  async importRemittance(remittanceId: string, lines: AsyncIterable<pb.RemittanceLine>): Promise<pb.ImportRemittanceResponse> {
    let call: ReturnType<pb.CapitationBillingClient['importRemittance']> | undefined;
    const response = new Promise<pb.ImportRemittanceResponse>((resolve, reject) => {
      call = this.client.importRemittance(new Metadata(), this.options(), (error, value) => (error ? reject(error) : resolve(value)));
    });
    // The answer may come early (a refused header): its rejection is awaited below, never left unhandled.
    response.catch(() => undefined);
    try {
      const write = async (item: pb.ImportRemittanceRequest['item']): Promise<void> => {
        if (!call!.write({ item })) await Promise.race([once(call!, 'drain'), response]);
      };
      await write({ $case: 'header', value: { remittanceId } });
      for await (const line of lines) await write({ $case: 'line', value: line });
      call!.end();
      return await response;
    } catch (error) {
      call!.cancel();
      throw BillingCallError.of('ImportRemittance', error);
    }
  }

  async listStatements(filter: { period: string; finess?: string }): Promise<pb.Statement[]> {
    try {
      const answer = await callUnary(
        this.client,
        'listStatements',
        { period: filter.period, centreFiness: filter.finess ?? '' },
        { deadlineMs: this.connection.deadlineMs },
      );
      return answer.statements;
    } catch (error) {
      throw BillingCallError.of('ListStatements', error);
    }
  }

  /** A computed statement's file, its chunks joined. */
  async exportStatement(format: 'csv' | 'fhir', finess: string, period: string): Promise<Buffer> {
    const request = { centreFiness: finess, period };
    const stream =
      format === 'csv'
        ? this.client.exportStatementCsv(request, new Metadata(), this.options())
        : this.client.exportStatementFhir(request, new Metadata(), this.options());
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of stream as AsyncIterable<pb.FileChunk>) chunks.push(chunk.data);
    } catch (error) {
      throw BillingCallError.of(format === 'csv' ? 'ExportStatementCsv' : 'ExportStatementFhir', error);
    }
    return Buffer.concat(chunks);
  }
}
