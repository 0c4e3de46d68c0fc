import type { ClickHouseClientConfigOptions } from '@clickhouse/client';
import type { ChdbConnection } from 'chdb/connection';

type ClientConnection = NonNullable<ClickHouseClientConfigOptions['connection']>;
type PlainSettings = Record<string, string | number | boolean>;

/**
 * chdb/connection implements the Connection contract of @clickhouse/client-common 1.23.0, while
 * @clickhouse/client 1.23.1 bundles its own copy of the same types. They only disagree on the
 * `SettingsMap` class (a private field makes two identical declarations incompatible), which we
 * never send, so the settings are passed on as plain values and the rest goes through untouched.
 */
export function chdbClientConnection(chdb: ChdbConnection): ClientConnection {
  return {
    ping: (p) => chdb.ping({ ...p, clickhouse_settings: plainSettings(p.clickhouse_settings) }),
    query: (p) => chdb.query({ ...p, clickhouse_settings: plainSettings(p.clickhouse_settings) }),
    insert: (p) => chdb.insert({ ...p, clickhouse_settings: plainSettings(p.clickhouse_settings) }),
    command: (p) => chdb.command({ ...p, clickhouse_settings: plainSettings(p.clickhouse_settings) }),
    exec: (p) => chdb.exec({ ...p, clickhouse_settings: plainSettings(p.clickhouse_settings) }),
    close: () => chdb.close(),
  };
}

function plainSettings(settings: Record<string, unknown> | undefined): PlainSettings | undefined {
  if (!settings) return undefined;
  const plain: PlainSettings = {};
  for (const [name, value] of Object.entries(settings)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') plain[name] = value;
    else if (value !== undefined)
      throw new Error(`Setting ${name} cannot be sent to chDB (only plain values are supported)`);
  }
  return plain;
}
