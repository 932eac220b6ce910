import type { Request, Response } from 'express';

/**
 * Writes one server-sent event; when the socket's buffer is full it waits for it to drain (or for the client to
 * go), so a slow consumer holds its subscription back instead of piling events up in memory.
 */
export const writeServerSentEvent = async (
  req: Request,
  res: Response,
  frame: Readonly<{ id: number; event: string; data: unknown }>,
): Promise<void> => {
  const ok = res.write(`id: ${frame.id}\nevent: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`);
  if (ok || res.writableEnded || req.destroyed) return;
  await new Promise<void>((resolve) => {
    res.once('drain', resolve);
    req.once('close', resolve);
  });
};
