// The one way a link in model output opens, for every webview that shows model text (the chat,
// the image annotator). The webviews give links no href (webview-ui/shared/markdown.ts), so
// nothing opens unless this function decides to.

import * as vscode from 'vscode';
import { revealInvisible } from '../../core/model-text/invisible';
import { hrefKind } from '../../core/model-text/links';
import { parsePaperPageHref } from '../../core/papers/page-href';
import { OPEN_PAGE } from '../papers/links';

/**
 * Links in model output (chat answers, annotator answers): a /papers citation opens its page
 * in the paper viewer (if that paper is attached); web and mail links open only after the
 * user confirmed the real destination, shown with any hidden characters made visible;
 * nothing else opens.
 */
export async function openLink(href: string, text?: string): Promise<boolean> {
  const page = parsePaperPageHref(href);
  if (page) {
    await vscode.commands.executeCommand(OPEN_PAGE, page.chunkId, page.page);
    return true;
  }
  const kind = hrefKind(href);
  if (kind !== 'web' && kind !== 'mail') {
    void vscode.window.showWarningMessage(`MedGemma does not open this kind of link from model output: ${revealInvisible(href).slice(0, 200)}. Copy it if you trust it.`);
    return false;
  }
  let url: URL;
  try {
    url = new URL(href.trim());
  } catch {
    void vscode.window.showWarningMessage('That link from the model is not a valid web address, so nothing was opened. Copy it from the answer if you need it.');
    return false;
  }
  // URL gives the host in punycode (a look-alike domain shows as xn--...).
  const destination = revealInvisible(url.toString());
  const label = text === undefined ? '' : revealInvisible(text.trim());
  const labelled = label && label !== destination && label !== href ? `\n\nThe answer labels it: "${label}"` : '';
  const open = 'Open';
  const pick = await vscode.window.showWarningMessage(
    `Open this link from the model's answer${kind === 'mail' ? ' in your mail program' : ' in your browser'}?\n\n${destination}${labelled}`,
    { modal: true, detail: 'Model output can contain made-up or unsafe links, written by whatever the model read. Check the address first.' },
    open,
  );
  if (pick !== open) return false;
  return vscode.env.openExternal(vscode.Uri.parse(url.toString(), true));
}

