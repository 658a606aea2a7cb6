/**
 * The canvas as an image (PNG or SVG), cropped to the diagram with a margin, in the current
 * theme: html-to-image (loaded with this module, on the first export) draws the flow's viewport
 * element as it is styled now, moved so the diagram's bounds fill the picture.
 */

import { toPng, toSvg } from 'html-to-image';

const MARGIN = 40;
/** Big diagrams are drawn smaller rather than made into huge files. */
const MAX_SIDE = 4000;

/** A card on the canvas: where it is and how big it was drawn. */
export interface Box {
  position: { x: number; y: number };
  measured?: { width?: number; height?: number };
}

/** The rectangle holding every card (flow coordinates). */
function boundsOf(boxes: readonly Box[]): { x: number; y: number; width: number; height: number } {
  let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
  for (const b of boxes) {
    x1 = Math.min(x1, b.position.x);
    y1 = Math.min(y1, b.position.y);
    x2 = Math.max(x2, b.position.x + (b.measured?.width ?? 200));
    y2 = Math.max(y2, b.position.y + (b.measured?.height ?? 100));
  }
  return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
}

export async function canvasImage(kind: 'png' | 'svg', boxes: readonly Box[], viewport: HTMLElement): Promise<string> {
  const bounds = boundsOf(boxes);
  // Drawn at 1:1, or smaller when that would pass the largest side.
  const zoom = Math.min(1, (MAX_SIDE - 2 * MARGIN) / Math.max(bounds.width, bounds.height, 1));
  const width = Math.ceil(bounds.width * zoom + 2 * MARGIN);
  const height = Math.ceil(bounds.height * zoom + 2 * MARGIN);
  const fit = { x: MARGIN - bounds.x * zoom, y: MARGIN - bounds.y * zoom, zoom };
  const background = getComputedStyle(viewport.closest('.svelte-flow') ?? viewport).getPropertyValue('--xy-background-color').trim() || 'white';
  const options = {
    backgroundColor: background,
    width,
    height,
    style: { width: `${width}px`, height: `${height}px`, transform: `translate(${fit.x}px, ${fit.y}px) scale(${fit.zoom})` },
    // Messages in flight are not part of the diagram.
    filter: (element: HTMLElement) => element.dataset?.messageLayer === undefined,
  };
  // The edges are SVGs without a size that rely on CSS `overflow: visible`, which the picture's
  // copy loses: for the moment of the copy they say it as an attribute and cover the diagram.
  const edges = [...viewport.querySelectorAll<SVGSVGElement>('.svelte-flow__edges svg, svg.svelte-flow__edges')];
  const saved = edges.map((svg) => [svg.getAttribute('overflow'), svg.getAttribute('width'), svg.getAttribute('height')] as const);
  const right = Math.ceil(bounds.x + bounds.width + MARGIN);
  const bottom = Math.ceil(bounds.y + bounds.height + MARGIN);
  for (const svg of edges) {
    svg.setAttribute('overflow', 'visible');
    svg.setAttribute('width', String(Math.max(right, 1)));
    svg.setAttribute('height', String(Math.max(bottom, 1)));
  }
  // Edge strokes come from CSS variables the copy does not resolve: written inline meanwhile.
  const paths = [...viewport.querySelectorAll<SVGPathElement>('path.svelte-flow__edge-path')];
  const pathStyles = paths.map((path) => path.getAttribute('style'));
  for (const path of paths) {
    const computed = getComputedStyle(path);
    path.setAttribute('style', `${path.getAttribute('style') ?? ''};stroke:${computed.stroke};stroke-width:${computed.strokeWidth};stroke-dasharray:${computed.strokeDasharray};fill:none`);
  }
  try {
    return await (kind === 'png' ? toPng(viewport, { ...options, pixelRatio: 2 }) : toSvg(viewport, options));
  } finally {
    paths.forEach((path, i) => {
      const style = pathStyles[i];
      if (style === null || style === undefined) path.removeAttribute('style');
      else path.setAttribute('style', style);
    });
    edges.forEach((svg, i) => {
      const [overflow, w, h] = saved[i]!;
      for (const [name, value] of [['overflow', overflow], ['width', w], ['height', h]] as const) {
        if (value === null) svg.removeAttribute(name);
        else svg.setAttribute(name, value);
      }
    });
  }
}

/** Starts a download of a data URL. */
export function downloadUrl(name: string, url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
}
