/** Errors that only exist at the HTTP edge (the domain has no notion of headers). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const preconditionRequired = (): HttpError =>
  new HttpError(428, 'Precondition Required', 'this write needs an If-Match header with the ETag of the version you last read');
