import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { sha256 } from '../lib/hash';
import type { NodeRepository } from '../nodes/node.repository';
import type { UploadSpool } from './upload-spool';

/**
 * `GET /api/v1/agent/uploads/{id}`: a node agent fetches uploaded image bytes, authenticated with
 * `Authorization: Node <nodeCredential>`; only the node the import was sent to may read it. Part of the agent protocol,
 * not of the public API.
 */
export function registerAgentUploads(app: FastifyInstance, nodes: NodeRepository, spool: UploadSpool): void {
  app.get('/api/v1/agent/uploads/:id', async (request, reply) => {
    const header = String(request.headers.authorization ?? '');
    const credential = header.startsWith('Node ') ? header.slice(5).trim() : '';
    const node = credential ? await nodes.byCredentialHash(sha256(credential)) : undefined;
    const upload = node ? spool.get((request.params as { id: string }).id, node.id) : undefined;
    if (!node) return reply.code(401).type('application/problem+json').send({ type: 'about:blank', title: 'Unauthenticated', status: 401, detail: 'node credential required', code: 'UNAUTHENTICATED' });
    if (!upload) return reply.code(404).type('application/problem+json').send({ type: 'about:blank', title: 'Not found', status: 404, detail: 'no such upload for this node', code: 'NOT_FOUND' });
    reply.header('content-length', String(upload.sizeBytes)).type('application/octet-stream');
    return reply.send(createReadStream(upload.path));
  });
}
