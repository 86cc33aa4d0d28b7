import type { FastifyReply } from 'fastify';

/** `attachment` with an ASCII fallback name and the real (Chinese) one per RFC 6266. */
export function attachment(reply: FastifyReply, asciiName: string, name: string): void {
  reply.header('content-disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`);
}
