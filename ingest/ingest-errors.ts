/** The pipeline holds more than it may: the producer should wait and send the same events again. */
export class IngestBusyError extends Error {
  override readonly name = 'IngestBusyError';

  constructor(readonly retryAfterSeconds: number) {
    super(`ingest is over capacity; retry the same events in ${retryAfterSeconds} s`);
  }
}

/**
 * The events could not be stored. None of the submission counts as accepted; sending the same
 * events again is safe, because ids that did get stored are then counted as duplicates.
 */
export class IngestStoreError extends Error {
  override readonly name = 'IngestStoreError';
  readonly retryAfterSeconds = 5;

  constructor(detail: string, options?: { cause?: unknown }) {
    super(`could not store the events (${detail}); none were accepted, retry the same events`, options);
  }
}

/** Submitted after close(): the process is shutting down. */
export class IngestClosedError extends Error {
  override readonly name = 'IngestClosedError';
  readonly retryAfterSeconds = 5;

  constructor() {
    super('ingest is shutting down; retry the same events shortly');
  }
}
