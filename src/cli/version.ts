// The version the CLI and its MCP server report (test/unit/cli/mcp.test.ts keeps it equal to package.json's).
export const VERSION = '0.1.0';
