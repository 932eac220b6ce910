import type { Request, Response } from 'express';
import { JsonAnswer, jsonAnswerText, shapeAnswer } from './answers';

const request = (method: string, path: string, query: Record<string, string> = {}, accept?: string) =>
  ({ method, path, query, headers: accept ? { accept } : {} }) as unknown as Request;
const response = () => {
  const types: string[] = [];
  return { res: { type: (t: string) => types.push(t) } as unknown as Response, types };
};
const doc = { id: 'c1', name: 'Acme', _position: 7, updatedAt: '2026-01-01', lines: [{ sku: 'A', _position: 3 }] };

describe('shapeAnswer: what a handler answer becomes before it is written', () => {
  it('a GET answer goes out without the internal fields, at any depth', () => {
    const { res } = response();
    expect(shapeAnswer(request('GET', '/api/customers/c1'), res, doc)).toEqual({ id: 'c1', name: 'Acme', lines: [{ sku: 'A' }] });
  });

  it('?internal=true keeps them, and the raw event streams are served as recorded', () => {
    const { res } = response();
    expect(shapeAnswer(request('GET', '/api/customers/c1', { internal: 'true' }), res, doc)).toBe(doc);
    expect(shapeAnswer(request('GET', '/api/streams/customer-c1'), res, doc)).toBe(doc);
  });

  it('other methods are answered as the handler returned', () => {
    const { res } = response();
    expect(shapeAnswer(request('POST', '/api/customers'), res, doc)).toBe(doc);
  });

  it('a list asked for as CSV becomes CSV, without the internal fields; a string answer passes through', () => {
    const { res, types } = response();
    const csv = shapeAnswer(request('GET', '/api/customers', {}, 'text/csv'), res, { items: [doc], total: 1 });
    expect(csv).toBe('id,name,lines\r\nc1,Acme,"[{""sku"":""A""}]"\r\n');
    expect(types).toEqual(['text/csv']);
    expect(shapeAnswer(request('GET', '/api/reports/x', {}, 'text/csv'), res, 'a,b\r\n')).toBe('a,b\r\n');
  });

  it('an answer serialized ahead (a worker thread) is written as it is, as JSON, without the internal fields', () => {
    const { res, types } = response();
    const text = jsonAnswerText(doc);
    expect(JSON.parse(text)).toEqual(shapeAnswer(request('GET', '/api/customers/c1'), res, doc));
    expect(shapeAnswer(request('GET', '/api/reports/x'), res, new JsonAnswer(text))).toBe(text);
    expect(types).toEqual(['application/json']);
  });
});
