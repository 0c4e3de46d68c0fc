import { runtimeSlot } from '../runtime-slot';

/**
 * Where the tower notes how a connector's calls went (an event delivery from the sandbox core, an
 * action sent to it). Noting never fails the call it describes: a lost note costs one data point.
 */
export interface ConnectorHealth {
  failed(connector: string, operation: string, error: unknown): Promise<void>;
  succeeded(connector: string, operation: string): Promise<void>;
}

export const connectorHealthSlot = runtimeSlot<ConnectorHealth>('connector-health');

/** Runs one connector call and notes its outcome; `isFailure` says which errors are the connector's fault. */
export async function watchedCall<T>(
  health: ConnectorHealth | undefined,
  where: { connector: string; operation: string },
  call: () => Promise<T>,
  isFailure: (error: unknown) => boolean = () => true,
): Promise<T> {
  try {
    const result = await call();
    void health?.succeeded(where.connector, where.operation);
    return result;
  } catch (err) {
    if (isFailure(err)) void health?.failed(where.connector, where.operation, err);
    else void health?.succeeded(where.connector, where.operation);
    throw err;
  }
}
