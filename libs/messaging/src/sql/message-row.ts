import type { IntegrationMessage } from '../message';

/** The envelope columns the SQL bus and the dead-letter log both store. */
export interface MessageRow {
  type: string;
  source: string;
  time: string;
  subject: string | null;
  key: string;
  content_type: string;
  headers: Record<string, string>;
  data: Uint8Array;
}

export function messageFromRow(id: string, r: MessageRow): IntegrationMessage {
  return {
    id,
    type: r.type,
    source: r.source,
    time: r.time,
    ...(r.subject !== null ? { subject: r.subject } : {}),
    key: r.key,
    contentType: r.content_type,
    headers: r.headers,
    // pg returns a Buffer, PGlite a Uint8Array: hand handlers the same type from both.
    data: new Uint8Array(r.data),
  };
}
