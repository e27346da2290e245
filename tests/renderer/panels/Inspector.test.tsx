import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { Inspector } from '../../../renderer/panels/Inspector';
import { AppStoreProvider, createAppStore } from '../../../renderer/store';

afterEach(cleanup);

function setup() {
  const store = createAppStore();
  const s = store.getState();
  const input = s.addNode('TokenInput', { x: 0, y: 0 });
  const emb = s.addNode('Embedding', { x: 200, y: 0 });
  s.connect({ node: input, port: 'out' }, { node: emb, port: 'in' });
  s.selectNode(emb);
  render(
    <AppStoreProvider store={store}>
      <Inspector />
    </AppStoreProvider>,
  );
  return { store, emb };
}

describe('Inspector', () => {
  it('shows the form from the ParamSpecs, the teaching text and the cost of the selected block', () => {
    setup();
    expect(screen.getByTestId('param-dim')).toHaveProperty('value', '64');
    expect(screen.getByTestId('node-doc').textContent).toMatch(/learned vector/);
    expect(screen.getByTestId('node-params').textContent).toBe((67 * 64).toLocaleString('en-US'));
    expect(screen.getByTestId('node-output-shape').textContent).toBe('[64, 64]');
  });

  it('keeps an out-of-range value as typed and flags it in red with the sentence', () => {
    const { store, emb } = setup();
    fireEvent.change(screen.getByTestId('param-dim'), { target: { value: '5000' } });
    expect(screen.getByTestId('param-dim')).toHaveProperty('value', '5000');
    expect(screen.getByTestId('param-error-dim').textContent).toBe(
      'Embedding "embedding_1": dim must be between 1 and 4096, got 5000.',
    );
    expect(screen.getByTestId('field-dim').className).toMatch(/field-invalid/);
    expect(store.getState().graph.nodes.find((n) => n.id === emb)?.params.dim).toBe(5000);
  });

  it('follows undo: the field shows the restored value', () => {
    const { store } = setup();
    fireEvent.change(screen.getByTestId('param-dim'), { target: { value: '12' } });
    fireEvent.change(screen.getByTestId('param-dim'), { target: { value: '128' } });
    act(() => store.getState().undo());
    expect(screen.getByTestId('param-dim')).toHaveProperty('value', '64');
    expect(screen.queryByTestId('param-error-dim')).toBeNull();
  });
});
