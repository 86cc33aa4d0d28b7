/**
 * page-helpers.ts with the app's store code it calls, bundled for the page
 * (an IIFE that installs window.__ykt): esbuild resolves the `#app/*` imports
 * through package.json like the app's own build, so the page runs the same
 * createForm / submitForm / putBlob the product ships. Built once per process.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

let bundle: Promise<string> | undefined;

export function pageHelpersBundle(): Promise<string> {
  bundle ??= build({
    stdin: { contents: "import { installPageHelpers } from './page-helpers.ts';\ninstallPageHelpers();", resolveDir: fileURLToPath(new URL('.', import.meta.url)), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'silent',
  }).then((result) => {
    const [out] = result.outputFiles;
    if (!out) throw new Error('esbuild produced no page bundle');
    return out.text;
  });
  return bundle;
}
