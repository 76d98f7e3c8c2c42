// The agent tools' names as package.json declares them (contributes.languageModelTools); no
// import of 'vscode', so the unit test that holds package.json to the MCP schemas can read it.

export const TOOL_NAMES = ['medgemma_summarize_note', 'medgemma_search_papers', 'medgemma_ask_papers', 'medgemma_describe_image'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];
