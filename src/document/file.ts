/**
 * The diagram as a `.json` file: `{ "format": "routing-playground", "version": 1, "diagram": {…} }`,
 * pretty-printed so a person can read it and a diff can show a change. Reading takes that, or a
 * bare diagram (what older tools and hand-written files hold), and goes through loadDiagram.
 *
 * The text's length is capped before it is parsed; JSON.parse builds no prototype (a
 * `"__proto__"` key is an own property, which the loader never copies). Cost: linear in the text.
 */

import { loadDiagram, newerVersionMessage, type LoadResult } from './load';
import { isPlainObject } from './json';
import type { Diagram } from './types';

export const FILE_FORMAT = 'routing-playground';
export const FILE_VERSION = 1;
/** Longer texts are refused unread (the loader's caps refuse less than this anyway). */
export const MAX_FILE_CHARS = 10_000_000;

/** The file's text for a diagram. */
export function diagramToFile(diagram: Diagram): string {
  return `${JSON.stringify({ format: FILE_FORMAT, version: FILE_VERSION, diagram }, null, 2)}\n`;
}

/** The diagram in a file's text, checked and repaired by loadDiagram. Never throws. */
export function diagramFromFile(text: string): LoadResult {
  if (typeof text !== 'string') return { ok: false, message: 'This file could not be read as text.' };
  if (text.length > MAX_FILE_CHARS) {
    return { ok: false, message: `This file is too large to be a diagram (${text.length.toLocaleString('en')} characters; at most ${MAX_FILE_CHARS.toLocaleString('en')}).` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? ` (${error.message.slice(0, 120)})` : '';
    return { ok: false, message: `This file is not a Routing Playground diagram: it is not JSON${detail}.` };
  }
  if (!isPlainObject(value)) return { ok: false, message: 'This file is not a Routing Playground diagram.' };
  if (!Object.prototype.hasOwnProperty.call(value, 'format')) return loadDiagram(value, { source: 'file' });
  if (value.format !== FILE_FORMAT) return { ok: false, message: 'This file is not a Routing Playground diagram (its "format" is something else).' };
  const version = value.version;
  if (typeof version === 'number' && version > FILE_VERSION) return { ok: false, message: newerVersionMessage('file', version) };
  if (version !== FILE_VERSION) return { ok: false, message: `This file has the version ${String(JSON.stringify(version) ?? 'nothing').slice(0, 20)}, which no Routing Playground ever wrote.` };
  return loadDiagram(value.diagram, { source: 'file' });
}
