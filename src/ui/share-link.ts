/**
 * The Share button's work: the diagram (at the current view) into the page's address as a link,
 * then onto the clipboard. Loaded on the first click, with the share codec.
 */

import { encodeShare } from '../document/share';
import type { Diagram } from '../document/types';

/** Puts the link in the address and copies it; answers what to tell the person. */
export async function shareLink(diagram: Diagram): Promise<string> {
  const fragment = encodeShare(diagram);
  history.replaceState(null, '', `${location.pathname}${location.search}#${fragment}`);
  const link = location.href;
  try {
    await navigator.clipboard.writeText(link);
    return `Link copied (${link.length} characters): anyone who opens it sees this diagram.`;
  } catch {
    // No clipboard (permission, an unfocused page): the address bar has it.
    return `The link is in the address bar (${link.length} characters): copy it from there.`;
  }
}
