// MedGemma's tools for VS Code's agent mode (languageModelTools): the same core functions as the
// MCP server's tools (core/agent-tools). A tool that sends text asks first, naming the server it
// goes to and what the privacy mode does to it; searching the papers stays on this machine and
// asks nothing. An untrusted workspace sends nothing. Paths are relative to the workspace folder.

import * as vscode from 'vscode';
import { describeImageTool, type DescribeImageArgs } from '../../core/agent-tools/describe-image';
import { askPapersTool, searchPapersTool, type AskPapersArgs, type SearchPapersArgs } from '../../core/agent-tools/papers';
import { summarizeNoteTool, type SummarizeNoteArgs } from '../../core/agent-tools/summarize-note';
import type { ToolOutput } from '../../core/agent-tools/tool-input';
import type { PaperLibrary } from '../../core/papers/library';
import { selectedLines } from '../notes/summarize-command';
import { searchOptions } from '../papers/dense';
import type { Services } from '../services';
import { confirmation, type Sends, toolErrorSentence } from './confirm';
import { TOOL_NAMES, type ToolName } from './names';

export type { ToolName };

const ADD_PAPERS = 'Attach PDFs with "MedGemma: Attach Papers" (or drop them on the Papers view), then ask again.';

/** One tool: what it sends where (undefined: nothing leaves this machine), and its work. The input has passed the schema in package.json. */
interface ToolSpec {
  sends?: (input: object) => Sends;
  progress: (input: object) => string;
  run: (input: object, signal: AbortSignal) => Promise<ToolOutput>;
}

/** What the test API drives: a tool's confirmation and its invocation, as VS Code calls them. */
export interface ToolsApi {
  prepare(name: ToolName, input: object): Promise<vscode.PreparedToolInvocation | undefined>;
  invoke(name: ToolName, input: object, token: vscode.CancellationToken): Promise<string>;
}

function cwd(): string {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.cwd();
}

/** summarize_note with neither path nor text: the note open in the editor, or its selected lines. */
function withActiveNote(input: SummarizeNoteArgs): SummarizeNoteArgs & { shown?: string } {
  if (input.path !== undefined || input.text !== undefined) return input;
  const editor = vscode.window.activeTextEditor;
  if (!editor) return input; // the core says what to give
  const doc = editor.document;
  const sel = selectedLines(editor.selection);
  const lines = input.lines ?? (sel && `${sel[0]}-${sel[1]}`);
  const name = vscode.workspace.asRelativePath(doc.uri, false);
  return { ...input, text: doc.getText(), lines, shown: lines ? `lines ${lines} of ${name}` : name };
}

export function register(ctx: vscode.ExtensionContext, services: Services, library: PaperLibrary): ToolsApi | undefined {
  if (typeof vscode.lm?.registerTool !== 'function') return undefined;

  const specs: Record<ToolName, ToolSpec> = {
    medgemma_summarize_note: {
      sends: (input) => {
        const given = input as SummarizeNoteArgs;
        const note = withActiveNote(given);
        const what = given.path !== undefined ? `the note ${given.path}` : note.shown ? `the note ${note.shown}` : `a note of ${(given.text ?? '').length.toLocaleString('en-US')} characters`;
        return { job: 'text', what };
      },
      progress: () => 'Summarizing the note with MedGemma and checking each citation…',
      run: (input, signal) => summarizeNoteTool(services.client(), withActiveNote(input as SummarizeNoteArgs), { signal, cwd: cwd() }),
    },
    medgemma_search_papers: {
      progress: (input) => `Searching the attached papers for "${(input as SearchPapersArgs).query}"…`,
      run: (input) => searchPapersTool(library, input as SearchPapersArgs, ADD_PAPERS),
    },
    medgemma_ask_papers: {
      sends: () => ({ job: 'text', what: 'the question with passages from the attached papers', embedded: true }),
      progress: () => 'Answering from the attached papers with MedGemma…',
      run: async (input, signal) => {
        const client = services.client();
        const search = await searchOptions(client, library, services.log, signal);
        return askPapersTool(client, library, input as AskPapersArgs, { signal, howToAdd: ADD_PAPERS, search });
      },
    },
    medgemma_describe_image: {
      sends: (input) => {
        const { path, region } = input as DescribeImageArgs;
        return { job: 'vision', what: `the pixels of ${path}${region ? ' (and the region asked about)' : ''} with the question` };
      },
      progress: () => 'Asking MedGemma about the image…',
      run: (input, signal) => describeImageTool(services.client(), input as DescribeImageArgs, { signal, cwd: cwd() }),
    },
  };

  const prepare = async (name: ToolName, input: object): Promise<vscode.PreparedToolInvocation> => {
    const spec = specs[name];
    const invocationMessage = spec.progress(input);
    if (!spec.sends) return { invocationMessage };
    return { invocationMessage, confirmationMessages: confirmation(services, spec.sends(input)) };
  };

  const invoke = async (name: ToolName, input: object, token: vscode.CancellationToken): Promise<string> => {
    const spec = specs[name];
    if (spec.sends && !vscode.workspace.isTrusted) throw new Error('MedGemma sends nothing from an untrusted workspace. Trust this workspace (Manage Workspace Trust) to use its tools.');
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      const out = await spec.run(input, abort.signal);
      // Part of the work failed: the sentence first, then what finished.
      return out.failure === undefined ? out.text : `${toolErrorSentence(out.failure)}\n\n${out.text}`;
    } catch (e) {
      services.log.warn(`Agent tool ${name} failed: ${(e as Error)?.name ?? typeof e}`);
      // VS Code gives the message to the model and shows it: our sentence, what to do.
      throw new Error(toolErrorSentence(e), { cause: e });
    } finally {
      sub.dispose();
    }
  };

  for (const name of TOOL_NAMES) {
    ctx.subscriptions.push(
      vscode.lm.registerTool<object>(name, {
        prepareInvocation: (options) => prepare(name, options.input),
        invoke: async (options, token) => new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(await invoke(name, options.input, token))]),
      }),
    );
  }
  return { prepare, invoke };
}
