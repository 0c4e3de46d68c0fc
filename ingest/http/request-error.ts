/** A request the endpoint refuses before it reaches the pipeline; the message goes to the producer as is. */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    readonly status: 400 | 401 | 405 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}
