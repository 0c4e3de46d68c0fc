import type { IncomingMessage } from 'node:http';
import { createGunzip } from 'node:zlib';
import { RequestError } from './request-error';

/**
 * The request body, gunzipped when `Content-Encoding: gzip`. Stops reading as soon as it passes
 * `limitBytes`, counted on the wire and again after decompression, so a zip bomb costs at most
 * `limitBytes` of memory.
 */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    return Promise.reject(
      new RequestError(415, `Content-Encoding "${encoding}" is not supported; send the body plain or gzip`),
    );
  }
  const limitText = `${Math.round(limitBytes / 1024 / 1024)} MB`;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) {
    return Promise.reject(
      new RequestError(
        413,
        `the body is ${declared} bytes, over the ${limitText} limit; split it into smaller requests`,
      ),
    );
  }
  const gunzip = encoding === 'identity' ? null : createGunzip();

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let bodyBytes = 0;
    let settled = false;

    const fail = (error: RequestError) => {
      if (settled) return;
      settled = true;
      req.off('data', onWire);
      gunzip?.destroy();
      // Discard the rest of the upload so the client can read the answer instead of a reset.
      req.resume();
      reject(error);
    };
    const keep = (chunk: Buffer, over: string) => {
      bodyBytes += chunk.length;
      if (bodyBytes > limitBytes)
        return fail(
          new RequestError(413, `the body is over the ${limitText} limit ${over}; split it into smaller requests`),
        );
      chunks.push(chunk);
    };
    const finish = () => {
      if (settled) return;
      settled = true;
      resolve(Buffer.concat(chunks, bodyBytes));
    };
    function onWire(chunk: Buffer) {
      wireBytes += chunk.length;
      if (wireBytes > limitBytes)
        return fail(new RequestError(413, `the body is over the ${limitText} limit; split it into smaller requests`));
      if (gunzip) gunzip.write(chunk);
      else keep(chunk, '');
    }

    req.on('data', onWire);
    req.on('end', () => (gunzip ? gunzip.end() : finish()));
    req.on('error', () => fail(new RequestError(400, 'the request body was cut off before it ended; send it again')));
    if (gunzip) {
      gunzip.on('data', (chunk: Buffer) => keep(chunk, 'once decompressed'));
      gunzip.on('end', finish);
      gunzip.on('error', (err) =>
        fail(
          new RequestError(
            400,
            `the body is not valid gzip (${err.message}); compress it with gzip or drop Content-Encoding`,
          ),
        ),
      );
    }
  });
}
