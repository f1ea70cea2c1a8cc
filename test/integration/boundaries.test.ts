import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { repoRoot } from '../helpers/serve';

// The folder rules of docs/architecture.md, checked with the project's real ESLint config.
const eslint = new ESLint({ cwd: repoRoot });

async function ruleErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${repoRoot}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('folder boundaries are enforced by lint', () => {
  it('services never import electron, main or the renderer', async () => {
    expect(
      await ruleErrors('src/services/x/y.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'src/services/x/y.ts',
        "import { a } from '../../main/trayState';\nexport const b = a;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'src/services/x/y.ts',
        "import { readFileSync } from 'node:fs';\nexport const b = readFileSync;\n",
      ),
    ).toHaveLength(0);
  });

  it('the renderer imports only shared code and its own files', async () => {
    expect(
      await ruleErrors(
        'src/renderer/src/x.ts',
        "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'src/renderer/src/x.ts',
        "import { Dispatcher } from '../../services/core/dispatcher';\nexport const a = Dispatcher;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'src/renderer/src/x.ts',
        "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n",
      ),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'src/renderer/src/x.ts',
        "import type { Api } from '@shared/contract';\nexport type A = Api;\n",
      ),
    ).toHaveLength(0);
  });

  it('shared code is runtime-neutral', async () => {
    expect(
      await ruleErrors('src/shared/x.ts', "import { join } from 'node:path';\nexport const a = join;\n"),
    ).toHaveLength(1);
    expect(
      await ruleErrors(
        'src/shared/x.ts',
        "import { Backend } from '../services/core/backend';\nexport const a = Backend;\n",
      ),
    ).toHaveLength(1);
  });

  it('the root helper and the CLIs stay out of Electron', async () => {
    expect(
      await ruleErrors('helpers/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
    expect(
      await ruleErrors('src/cli/x.ts', "import { app } from 'electron';\nexport const a = app;\n"),
    ).toHaveLength(1);
  });
});
