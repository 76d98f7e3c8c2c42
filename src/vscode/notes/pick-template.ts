// Which summary to write: the default-template setting, or a quick pick of built-in and
// user templates (problems in user templates are shown, not swallowed).

import * as vscode from 'vscode';
import { findTemplate, resolveTemplates, type Template } from '../../core/notes/templates';
import { promptSetting, setting } from '../config';

export async function pickTemplate(log: vscode.LogOutputChannel): Promise<Template | undefined> {
  const { templates, problems } = resolveTemplates(promptSetting<unknown>('summary.templates', []));
  for (const p of problems) {
    log.warn(p);
    void vscode.window.showWarningMessage(`MedGemma: ${p}`);
  }
  const preferred = setting<string>('summary.defaultTemplate', '').trim();
  if (preferred) {
    const t = findTemplate(preferred, templates);
    if (t) return t;
    void vscode.window.showWarningMessage(
      `MedGemma: the default template "${preferred}" does not exist; pick one (and fix "medgemma.summary.defaultTemplate").`,
    );
  }
  const pick = await vscode.window.showQuickPick(
    templates.map((t) => ({ label: t.label, description: t.builtIn ? t.id : `${t.id} (yours)`, detail: t.description, template: t })),
    { title: 'MedGemma: what kind of summary?', placeHolder: 'Pick a template (set medgemma.summary.defaultTemplate to skip this)', matchOnDetail: true },
  );
  return pick?.template;
}
