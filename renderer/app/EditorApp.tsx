import { useCallback, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import '../styles/theme.css';
import '../styles/app.css';
import '../styles/canvas.css';
import '../styles/panels.css';
import '../styles/training.css';
import '../styles/guide.css';
import { GraphCanvas } from '../canvas/GraphCanvas';
import { AboutDialog } from '../panels/AboutDialog';
import { CompareRoot } from '../panels/compare/CompareRoot';
import { CostView } from '../panels/CostView';
import { GuidePanel } from '../panels/guide/GuidePanel';
import { Inspector } from '../panels/Inspector';
import { LookInside } from '../panels/LookInside';
import { ModelTotals } from '../panels/ModelTotals';
import { Palette } from '../panels/Palette';
import { QuickAdd } from '../panels/QuickAdd';
import { StartScreen } from '../panels/StartScreen';
import { Toasts } from '../panels/Toasts';
import { ShortcutsSheet } from '../panels/ShortcutsSheet';
import { Toolbar } from '../panels/Toolbar';
import { UnsavedDialog } from '../panels/UnsavedDialog';
import { TrainDock } from '../panels/training/TrainDock';
import type { Platform } from '../services/platform';
import { loadTheme } from '../services/themePreference';
import { AppStoreProvider, createAppStore, useAppStore } from '../store';
import { CommandsProvider, usePlatform } from './commands';
import { useMenu } from './useMenu';
import { usePersistence } from './usePersistence';
import { useShortcuts } from './useShortcuts';
import { useTestHook } from './testHook';
import { TrainingProvider } from './training';

/** The editor window: one store, one React Flow provider, one Platform. */
export function EditorApp({ platform }: { platform: Platform }) {
  const [store] = useState(() => createAppStore({ theme: loadTheme() }));
  return (
    <AppStoreProvider store={store}>
      <ReactFlowProvider>
        <CommandsProvider platform={platform}>
          <TrainingProvider>
            <Editor />
          </TrainingProvider>
        </CommandsProvider>
      </ReactFlowProvider>
    </AppStoreProvider>
  );
}

function Editor() {
  useMenu();
  useShortcuts();
  usePersistence();
  useTestHook();
  const screen = useAppStore((s) => s.screen);
  const theme = useAppStore((s) => s.theme);
  const costView = useAppStore((s) => s.panels.costView);
  // Behind the start screen the editor is out of reach: Tab and screen readers skip it.
  const isBehind = screen === 'start';
  return (
    <div className="app" data-theme={theme}>
      <Toolbar />
      <div className="app-body">
        <main className="workspace" inert={isBehind}>
          <Palette />
          <div className="center">
            <GraphCanvas />
            <GuidePanel />
            {costView && <CostView />}
          </div>
          <Inspector />
        </main>
        <div className="dock-and-status" inert={isBehind}>
          <TrainDock />
          <ModelTotals />
        </div>
        {screen === 'start' && <StartScreen />}
        <CompareRoot />
      </div>
      <QuickAdd />
      <LookInside />
      <Toasts />
      <AboutBox />
      <UnsavedDialog />
      <ShortcutsSheet />
    </div>
  );
}

/** The About dialog while it is open, with the version from the platform (main's app:getInfo on the desktop). */
function AboutBox() {
  const isOpen = useAppStore((s) => s.isAboutOpen);
  const close = useAppStore((s) => s.closeAbout);
  const platform = usePlatform();
  const loadInfo = useCallback(() => platform.getInfo(), [platform]);
  return isOpen ? <AboutDialog loadInfo={loadInfo} onClose={close} /> : null;
}
