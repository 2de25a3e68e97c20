import type { IncomingMessage } from 'node:http';
import { ApiError } from '@novacron/api';

/**
 * Reads and discards what is left of a request body the route does not take (a GET's), up to `maxBytes`. A streamed
 * answer must wait for it: a server that closes a connection with unread bytes in it resets it, and the client loses
 * the part of the answer it had not read yet.
 */
export async function drainRequest(req: IncomingMessage, maxBytes: number): Promise<void> {
  if (req.readableEnded || req.complete) return;
  await new Promise<void>((resolve, reject) => {
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > maxBytes) finish(new ApiError('PAYLOAD_TOO_LARGE', `this route takes no body (got more than ${maxBytes} bytes)`));
    };
    const finish = (error?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      if (error) reject(error);
      else resolve();
    };
    const onEnd = () => finish();
    const onError = (error: Error) => finish(error);
    req.on('data', onData).once('end', onEnd).once('error', onError);
  });
}
