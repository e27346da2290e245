/**
 * The renderer's root, as main.tsx mounts it: the editor (renderer/app/EditorApp.tsx) over the Platform that
 * main.tsx chose (Electron's window.api or the browser implementation).
 */
import type { Platform } from './services/platform';
import { EditorApp } from './app/EditorApp';

export function App({ platform }: { platform: Platform }) {
  return <EditorApp platform={platform} />;
}
