// The tool for each toolbar button.
import type { ToolId } from '../state';
import { arrow, ellipse, rect } from './drag-shape';
import { freehand } from './freehand';
import { pan } from './pan';
import { point } from './point';
import { polygon } from './polygon';
import { selectTool } from './select';
import type { Tool } from './tool';
import { windowLevel } from './window-level';

export const TOOL_FOR: Record<ToolId, Tool> = { select: selectTool, rect, ellipse, polygon, freehand, arrow, point, window: windowLevel, pan };
