/**
 * What a file dropped or picked holds: a Routing Playground diagram, or a RabbitMQ definitions
 * export (told apart by their keys), read through the document's loaders. Loaded on first use
 * with the definitions importer (dagre lays the imported graph out).
 */

import { exportDefinitions, importDefinitions, type ImportReport } from '../../document/definitions';
import { diagramFromFile, diagramToFile } from '../../document/file';
import type { Diagram } from '../../document/types';

export type Opened =
  | { ok: true; kind: 'diagram'; diagram: Diagram; repairs: string[] }
  | { ok: true; kind: 'definitions'; diagram: Diagram; report: ImportReport }
  | { ok: false; message: string; vhosts?: string[] };

/** A file bigger than this is refused before it is read. */
export const MAX_FILE_BYTES = 10_000_000;

/** RabbitMQ's definitions have these keys; a diagram file has `format` or `nodes`. */
function looksLikeDefinitions(text: string): boolean {
  return /"(rabbit_version|rabbitmq_version|exchanges|queues|vhosts|bindings)"\s*:/.test(text.slice(0, 200_000)) && !/"(format|nodes)"\s*:/.test(text.slice(0, 2_000));
}

/** Reads a file's text as a diagram or as definitions (`vhost` picks one of several). */
export function openText(text: string, vhost?: string): Opened {
  if (looksLikeDefinitions(text)) {
    const result = importDefinitions(text, vhost === undefined ? {} : { vhost });
    return result.ok ? { ok: true, kind: 'definitions', diagram: result.diagram, report: result.report } : result;
  }
  const result = diagramFromFile(text);
  return result.ok ? { ok: true, kind: 'diagram', diagram: result.diagram, repairs: result.repairs } : result;
}

export async function openFile(file: File, vhost?: string): Promise<Opened> {
  if (file.size > MAX_FILE_BYTES) return { ok: false, message: `"${file.name}" is too large to open (${Math.round(file.size / 1e6)} MB; at most 10 MB).` };
  try {
    return openText(await file.text(), vhost);
  } catch (error) {
    return { ok: false, message: `"${file.name}" could not be read (${error instanceof Error ? error.message : String(error)}).` };
  }
}

/** Starts a download of `text` named `name`. */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from a diagram's name: letters, digits, dots, dashes. */
export function fileName(name: string, suffix: string): string {
  const base = name.trim().replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'diagram';
  return `${base}${suffix}`;
}

export function diagramFile(diagram: Diagram): string {
  return diagramToFile(diagram);
}

/** The definitions export of a diagram, and what it could not carry. */
export function definitionsFile(diagram: Diagram): { text: string; notes: string[] } {
  const { definitions, notes } = exportDefinitions(diagram);
  return { text: `${JSON.stringify(definitions, null, 2)}\n`, notes };
}
